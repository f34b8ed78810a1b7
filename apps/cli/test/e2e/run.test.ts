import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configsDir, parseJournal, runStrat, scratchDir } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;

beforeAll(() => {
  scratch = scratchDir('run');
});

afterAll(() => scratch.remove());

const JOURNAL_KEYS = [
  'seq',
  'strategy',
  'time',
  'barTime',
  'interval',
  'symbol',
  'action',
  'quantity',
  'price',
  'reason',
  'metadata',
];

describe('strat run on the repository configs', () => {
  it.each([
    ['test_single_strategy.json', ['simple_ma_cross']],
    ['test_multiple_strategies.json', ['simple_ma_cross', 'rsi_strategy']],
    ['demo.json', ['simple_ma_cross', 'rsi_strategy', 'vwap_strategy']],
  ])(
    '%s: exit 0, a JSON summary alone on stdout, and a journal of every signal',
    async (file, strategies) => {
      const journalPath = join(scratch.dir, `${file}.jsonl`);
      const result = await runStrat(['run', join(configsDir, file), '--out', journalPath, '--json']);
      expect(result.stderr).not.toContain('error');
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout) as SessionSummary;
      expect(summary).toMatchObject({
        state: 'completed',
        mode: 'backtest',
        journal: journalPath,
      });
      expect(summary.error).toBeUndefined();
      expect(summary.bars?.barsDone).toBeGreaterThan(0);
      expect(summary.barsPerSecond).toBeGreaterThan(0);
      expect(summary.metrics.per_strategy.map((m) => m.strategy)).toEqual(strategies);
      expect(summary.metrics.per_strategy.every((m) => m.notifications_processed > 0 && m.errors === 0)).toBe(
        true,
      );
      expect(summary.quality.length).toBeGreaterThan(0);
      expect(summary.quality.every((q) => q.percent === 100)).toBe(true);

      const lines = parseJournal(readFileSync(journalPath, 'utf8'));
      expect(lines.length).toBe(summary.signals);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        // Keys in the journal's fixed order; only the optional quantity and metadata may be absent.
        expect(Object.keys(line)).toEqual(JOURNAL_KEYS.filter((key) => key in line));
        expect(Object.keys(line)).toEqual(expect.arrayContaining(JOURNAL_KEYS.slice(0, 7)));
      }
      const perStrategy = new Map<string, number>();
      for (const m of summary.metrics.per_strategy) perStrategy.set(m.strategy, m.signals_generated);
      for (const [strategy, count] of perStrategy) {
        expect(lines.filter((l) => l.strategy === strategy).length).toBe(count);
      }
      if (file === 'demo.json') expect(summary.symbolsAdded.length).toBeGreaterThan(0);
    },
  );

  it('prints the summary tables without --json, without colour codes when NO_COLOR is set', async () => {
    const result = await runStrat(['run', join(configsDir, 'test_multiple_strategies.json'), '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Session completed: backtest 2024-01-02 to 2024-01-02, data-driven\n/);
    expect(result.stdout).toContain('1,170 bars');
    expect(result.stdout).toMatch(
      /│ strategy +│ executor │ notifications │ signals │ errors │ overruns │ avg µs │ p99 µs │ max µs │/,
    );
    expect(result.stdout).toMatch(/│ rsi_strategy +│ worker +│ +390 │/);
    // Each stream in its own bars: 78 five-minute bars in a 390-minute session.
    expect(result.stdout).toContain(
      "Bar quality (counts in bars of each row's interval; quality: 1m bars received / expected)\n",
    );
    expect(result.stdout).toMatch(/│ GOOGL +│ 1m +│ +390 │ +390 │ +│ +0 │ +100% │/);
    expect(result.stdout).toMatch(/│ GOOGL +│ 5m +│ +78 │ +78 │ +0 │ +│ +100% │/);
    expect(result.stdout).toContain('no journal');
    expect(result.stdout).not.toContain('\x1b[');
  });

  it('colours the table with FORCE_COLOR, and never when NO_COLOR is set too', async () => {
    const config = join(configsDir, 'test_single_strategy.json');
    const coloured = await runStrat(['run', config, '-q'], {
      env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
    });
    expect(coloured.stdout).toContain('\x1b[');
    const plain = await runStrat(['run', config, '-q'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\x1b[');
  });

  it('writes a CSV journal when --out ends in .csv, and runs inline with --executor', async () => {
    const journalPath = join(scratch.dir, 'signals.csv');
    const result = await runStrat([
      'run',
      join(configsDir, 'test_single_strategy.json'),
      '--out',
      journalPath,
      '--executor',
      'inline',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as SessionSummary;
    expect(summary.metrics.per_strategy[0]?.executor).toBe('inline');
    const rows = readFileSync(journalPath, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe(JOURNAL_KEYS.join(','));
    expect(rows.length - 1).toBe(summary.signals);
  });

  it('applies --speed, --from and --to over the config', async () => {
    const result = await runStrat([
      'run',
      join(configsDir, 'five_strategies.json'),
      '--speed',
      '0',
      '--from',
      '2024-01-03',
      '--to',
      '2024-01-03',
      '--json',
      '--log-level',
      'warn',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as SessionSummary;
    expect(summary).toMatchObject({ startDate: '2024-01-03', endDate: '2024-01-03', speedMultiplier: 0 });
    expect(summary.bars?.sessions).toBe(1);
  });
});

describe('strat run exit codes', () => {
  it('2 for a config that does not exist', async () => {
    const result = await runStrat(['run', 'session_configs/nope.json']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe('error: Cannot read session config session_configs/nope.json: no such file\n');
    expect(result.stdout).toBe('');
  });

  it('2 for overrides that do not fit, naming the JSON path', async () => {
    const config = join(configsDir, 'test_single_strategy.json');
    const reversed = await runStrat(['run', config, '--from', '2024-01-05', '--to', '2024-01-02']);
    expect(reversed.code, reversed.stderr).toBe(2);
    expect(reversed.stderr).toContain(
      'backtest_config.end_date: end_date 2024-01-02 is before start_date 2024-01-05',
    );
    const badDate = await runStrat(['run', config, '--from', '2024-13-01']);
    expect(badDate.code, badDate.stderr).toBe(2);
    expect(badDate.stderr).toContain("option '--from <date>' argument '2024-13-01' is invalid");
    const badMode = await runStrat(['run', config, '--mode', 'paper']);
    expect(badMode.code, badMode.stderr).toBe(2);
  });

  it('2 for a strategy module that does not load, with a stack only under --verbose', async () => {
    const path = join(scratch.dir, 'missing-module.json');
    writeFileSync(
      path,
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
        session_data_config: {
          symbols: ['AAPL'],
          streams: ['1m'],
          strategies: [{ module: 'strategies.examples.no_such_strategy' }],
        },
      }),
    );
    const result = await runStrat(['run', path, '--json']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(
      'Cannot load strategy module "strategies.examples.no_such_strategy": no such file',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const summary = JSON.parse(result.stdout) as SessionSummary;
    expect(summary.state).toBe('failed');
    const verbose = await runStrat(['run', path, '--verbose']);
    expect(verbose.code, verbose.stderr).toBe(2);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('1 for a failure that is not the input, such as a journal that cannot be written', async () => {
    // The journal's folder exists, but the journal itself is a folder: opening it fails once the run started.
    const folder = join(scratch.dir, 'a-folder');
    mkdirSync(folder);
    const result = await runStrat(['run', join(configsDir, 'test_single_strategy.json'), '--out', folder]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^error: Error: EISDIR/);
    expect(result.stderr).toContain('--verbose');
  });

  it('2 for a journal folder that cannot be created, checked before the run (it used to hang under /proc)', async () => {
    const blocker = join(scratch.dir, 'a-file');
    writeFileSync(blocker, '');
    const config = join(configsDir, 'test_single_strategy.json');
    const result = await runStrat(['run', config, '--out', join(blocker, 'j.jsonl')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe(
      `error: --out ${join(blocker, 'j.jsonl')}: Cannot create the folder ${blocker}: ${blocker} is not a folder\n`,
    );
    expect(result.stdout).toBe('');
    if (existsSync('/proc/self')) {
      const proc = await runStrat(['run', config, '--out', '/proc/nope/x.jsonl']);
      expect(proc.code, proc.stderr).toBe(2);
      expect(proc.stderr).toMatch(
        /^error: --out \/proc\/nope\/x\.jsonl: Cannot create the folder \/proc\/nope: ENOENT/,
      );
    }
  });

  it.runIf(existsSync('/dev/zero'))(
    '2 for a config larger than 1 MiB, such as /dev/zero, naming the limit',
    async () => {
      const result = await runStrat(['run', '/dev/zero']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toBe(
        'error: Cannot read session config /dev/zero: it is larger than 1 MiB, the limit for a session config\n',
      );
    },
  );

  it('leaves an existing journal byte for byte as it was when the run fails at module import', async () => {
    writeFileSync(
      join(scratch.dir, 'import_throws.ts'),
      "throw new Error('broken at import');\nexport class ImportThrowsStrategy {}\n",
    );
    const config = join(scratch.dir, 'import-throws.json');
    writeFileSync(
      config,
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
        session_data_config: {
          symbols: ['AAPL'],
          streams: ['1m'],
          strategies: [
            { module: 'strategies.examples.simple_ma_cross', config: { symbols: ['AAPL'], interval: '1m' } },
            { module: './import_throws.ts' },
          ],
        },
      }),
    );
    const journal = join(scratch.dir, 'kept.jsonl');
    const before = Buffer.from('{"seq":1,"note":"an earlier run\'s journal"}\n\u00e9\n');
    writeFileSync(journal, before);
    const result = await runStrat(['run', config, '--out', journal, '--strategy-root', scratch.dir]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('broken at import');
    expect(readFileSync(journal).equals(before)).toBe(true);
  });

  it('1 when an inline strategy calls process.exit, naming where the call came from', async () => {
    const strategy = join(scratch.dir, 'exiting_strategy.ts');
    writeFileSync(
      strategy,
      [
        "import { BaseStrategy, type Signal, type Subscription } from '@strat/core';",
        'export class ExitingStrategy extends BaseStrategy {',
        "  getSubscriptions(): Subscription[] { return [['AAPL', '1m']]; }",
        '  onBars(): Signal[] { process.exit(7); }',
        '}',
        '',
      ].join('\n'),
    );
    const config = join(scratch.dir, 'exiting.json');
    writeFileSync(
      config,
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
        session_data_config: {
          symbols: ['AAPL'],
          streams: ['1m'],
          streaming: { executor: 'inline' },
          strategies: [{ module: './exiting_strategy.ts' }],
        },
      }),
    );
    const result = await runStrat(['run', config, '--quiet', '--strategy-root', scratch.dir]);
    // It used to end with code 7 and nothing on stderr.
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(
      `error: process.exit(7) was called during the run, at ExitingStrategy.onBars (${strategy}:4:`,
    );
    expect(result.stderr).toContain('A strategy must not end the process');
  });
});

describe('strat help and version', () => {
  it('prints the version from package.json', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const result = await runStrat(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });
  });

  it.each([
    [[]],
    [['run']],
    [['validate']],
    [['data', 'generate']],
    [['data', 'inspect']],
    [['data', 'import']],
    [['new', 'strategy']],
  ])('strat %j --help shows usage with examples', async (command) => {
    const result = await runStrat([...command, '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: strat/);
    expect(result.stdout).toContain('Examples:');
  });

  it('2 for unknown commands and options, and for no command at all', async () => {
    expect((await runStrat(['frobnicate'])).code).toBe(2);
    const unknownOption = await runStrat(['run', 'x.json', '--fast']);
    expect(unknownOption.code, unknownOption.stderr).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--fast'");
    expect((await runStrat([])).code).toBe(2);
  });
});
