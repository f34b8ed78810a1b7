import { statSync } from 'node:fs';
import type { CalendarPreset, Interval, LogLevel } from '@strat/core';
import type { ParquetColumnMapping, ParquetTimestampFormat } from '@strat/data';
import type { StrategyExecutor } from '@strat/runtime';
import { Command, Option } from 'commander';
import { cliVersion } from './cli-version';
import { type CalendarOption, parseCalendarOption } from './data/calendar-option';
import { catalogSummaryCommand } from './data/catalog-summary';
import { type GenerateFormat, generateCommand } from './data/generate-command';
import { parseColumnsOption } from './data/import-columns';
import { importCommand } from './data/import-command';
import { inspectCommand } from './data/inspect-command';
import type { ExitCodeValue } from './exit-codes';
import { feedServeCommand } from './feed/feed-serve-command';
import {
  parseCountOption,
  parseDateOption,
  parseIntervalOption,
  parseMissingRateOption,
  parsePortOption,
  parseReplaySpeedOption,
  parseSeedOption,
  parseSpeedOption,
  parseSymbolOption,
  parseSymbolsOption,
} from './option-parsers';
import { reportCommand } from './report/report-command';
import { collect } from './run/module-policy';
import { runCommand } from './run/run-command';
import { newStrategyCommand } from './scaffold/new-strategy-command';
import { validateCommand } from './validate/validate-command';

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}

const verboseOption = () => new Option('--verbose', 'show stack traces with errors');
const strategyRootOption = () =>
  new Option(
    '--strategy-root <dir>',
    "another folder strategy and scanner files may load from, besides the project's strategies/ (repeatable)",
  ).argParser(collect);
const allowPackageOption = () =>
  new Option(
    '--allow-package <name>',
    'another package (or @scope/*) strategies may come from, besides @strat/examples (repeatable)',
  ).argParser(collect);
const MODULE_RULES =
  "\nStrategies and scanners load only from the project's strategies/ folder (and --strategy-root folders)\n" +
  'and from allowed packages (@strat/examples, and --allow-package ones): a config never decides what code runs.\n';

/**
 * The `strat` command line (commander). Each action hands its exit code to `setExitCode`; errors
 * thrown by actions propagate to the caller, which prints them and picks the exit code.
 */
export function createProgram(setExitCode: (code: ExitCodeValue) => void): Command {
  const program = new Command('strat')
    .description('Run, check and scaffold @strat trading strategy sessions.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      examples(
        'strat run session_configs/demo.json --out journal-demo.jsonl',
        'strat validate session_configs/*.json',
        'strat data generate --symbols AAPL,MSFT --from 2024-01-02 --to 2024-03-29 --out data/',
        'strat data inspect data/AAPL-1m.csv',
        'strat feed serve session_configs/live_replay.json --speed 600',
        'strat new strategy mean_reversion',
      ) +
        '\nExit codes: 0 ok, 1 runtime failure (also a run where a strategy threw, unless --allow-errors),\n' +
        '2 usage or config error, 130 interrupted (Ctrl-C).\n' +
        'Colours are off when NO_COLOR is set or the output is not a terminal.\n',
    );

  program
    .command('run')
    .description(
      'run a session (backtest or live): progress on stderr, then a summary of strategies, signals and bar quality',
    )
    .argument('<session_config>', 'session config file (.json)')
    .option('-o, --out <file>', 'write the signal journal to this file (.jsonl, or .csv by extension)')
    .option('--json', 'print the summary as one JSON document on stdout (nothing else goes there)')
    .option(
      '--results <dir>',
      'write the paper results to this folder: results.json, trades.csv, fills.csv, equity.csv, bars.csv (needs an "execution" section)',
    )
    .option(
      '--report <file>',
      'write a self-contained HTML report of the paper results (needs an "execution" section)',
    )
    .addOption(new Option('--mode <mode>', 'override the config mode').choices(['backtest', 'live']))
    .addOption(
      new Option(
        '--speed <multiplier>',
        'override backtest_config.speed_multiplier (0 = data-driven; backtests only)',
      ).argParser(parseSpeedOption),
    )
    .addOption(
      new Option(
        '--from <date>',
        'override backtest_config.start_date (YYYY-MM-DD; backtests only)',
      ).argParser(parseDateOption),
    )
    .addOption(
      new Option(
        '--to <date>',
        'override backtest_config.end_date (YYYY-MM-DD); live: live_config.end_date, the last session followed',
      ).argParser(parseDateOption),
    )
    .addOption(
      new Option('--executor <executor>', 'run every strategy in its own worker thread or inline').choices([
        'worker',
        'inline',
      ]),
    )
    .addOption(
      new Option('--log-level <level>', 'lowest level of log lines on stderr')
        .choices(['debug', 'info', 'warn', 'error', 'silent'])
        .default('info'),
    )
    .option('-q, --quiet', 'no progress output')
    .option(
      '--allow-errors',
      'exit 0 although strategies threw (by default a run where any strategy threw exits 1)',
    )
    .addOption(strategyRootOption())
    .addOption(allowPackageOption())
    .addOption(verboseOption())
    .addHelpText(
      'after',
      examples(
        'strat run session_configs/demo.json',
        'strat run session_configs/demo.json --out out/signals.jsonl --json > summary.json',
        'strat run session_configs/demo.json --results out/demo --report out/demo.html',
        'strat run session_configs/clock_driven.json --speed 600 --from 2024-01-02 --to 2024-01-03',
        'strat run session_configs/test_single_strategy.json --executor inline --log-level debug',
        'strat run session_configs/live_replay.json --out live.jsonl   # live, against strat feed serve',
      ) +
        '\nCtrl-C stops cleanly: strategies tear down, the journal is complete up to the last bar, the partial\nsummary prints, and the exit code is 130.\n' +
        '\nA strategy that throws is counted and logged with its file:line:column and the run goes on, but the\n' +
        'run exits 1 (the summary names the strategy, its error count and first error) unless --allow-errors;\n' +
        'a strategy that crashed or timed out always fails the run.\n' +
        '\nLive sessions (mode "live") follow the feed of live_config (URL, key and secret also from STRAT_FEED_URL,\n' +
        'STRAT_FEED_KEY, STRAT_FEED_SECRET) until live_config.end_date or Ctrl-C; progress shows bars so far and the\n' +
        "feed's state, and reconnects and missed minutes (gaps) are logged on stderr.\n" +
        MODULE_RULES,
    )
    .action(
      async (
        configPath: string,
        options: {
          out?: string;
          json?: boolean;
          results?: string;
          report?: string;
          mode?: 'backtest' | 'live';
          speed?: number;
          from?: string;
          to?: string;
          executor?: StrategyExecutor;
          logLevel: LogLevel;
          quiet?: boolean;
          verbose?: boolean;
          allowErrors?: boolean;
          strategyRoot?: string[];
          allowPackage?: string[];
        },
      ) => {
        setExitCode(await runCommand(configPath, options));
      },
    );

  program
    .command('sweep')
    .description(
      'run a backtest once per combination of strategy parameters, in parallel, and rank the paper results',
    )
    .argument('<session_config>', 'session config file (.json) of a backtest with an "execution" section')
    .option(
      '-p, --param <STRATEGY.KEY=VALUES>',
      'a parameter to vary: VALUES a list (10,20,40) or a range FROM:TO:STEP (5:30:5); repeatable',
      collect,
    )
    .option(
      '--random <n>',
      'run n combinations drawn at random from the grid (seeded) instead of all',
      parseCountOption,
    )
    .option('--seed <n>', 'seed of --random (default 1)', parseSeedOption)
    .option(
      '--objective <metric>',
      'rank by this result metric (sharpe, total_return, calmar, ...)',
      'sharpe',
    )
    .option('--minimize', 'lower is better (max_drawdown, volatility, ...)')
    .option('--top <k>', 'rows to print (default 10)', parseCountOption)
    .option('-o, --out <file>', 'write every combination, ranked, to a .csv or .json file')
    .option(
      '--report <file>',
      'write an HTML page: heatmap of the objective over the first two parameters, top combinations',
    )
    .option('--workers <n>', 'sessions at once (default: the number of cores)', parseCountOption)
    .option(
      '--queue <redis-url>',
      'run the combinations on strat worker processes through this Redis (BullMQ)',
    )
    .option(
      '--walk-forward <train:test>',
      'optimise on TRAIN sessions, score the winner on the TEST sessions after them, move on by TEST (e.g. 60d:20d)',
    )
    .option('--from <date>', 'override backtest_config.start_date', parseDateOption)
    .option('--to <date>', 'override backtest_config.end_date', parseDateOption)
    .option('-q, --quiet', 'no progress output')
    .addOption(strategyRootOption())
    .addOption(allowPackageOption())
    .addOption(verboseOption())
    .addHelpText(
      'after',
      examples(
        'strat sweep session_configs/demo.json -p sma_cross.fast_period=5:20:5 -p sma_cross.slow_period=20,40,60',
        'strat sweep session_configs/demo.json -p sma_cross.fast_period=2:50 --random 20 --seed 7 --out sweep.csv',
        'strat sweep session_configs/demo.json -p sma_cross.fast_period=5,10 --objective max_drawdown --minimize',
        'strat sweep session_configs/demo.json -p sma_cross.fast_period=5:20:5 --walk-forward 10d:5d',
      ) +
        '\nSTRATEGY is the strategy\'s name in the session (its "name", else its module\'s base name) and KEY a key\n' +
        'its config already has. Each combination is one data-driven session with inline strategies; the ranking\n' +
        'uses the total of the paper accounts. Every combination is checked (its strategies set up) before the\n' +
        'first runs. Ctrl-C keeps the finished combinations. Exit 1 when any combination failed.\n' +
        MODULE_RULES,
    )
    .action(async (file: string, options) => {
      // Loaded when used: the sweep's pool and queue libraries (BullMQ alone ~0.35 s) would slow every command's start.
      const { sweepCommand } = await import('./sweep/sweep-command');
      setExitCode(await sweepCommand(file, options));
    });

  program
    .command('worker')
    .description('run the combinations strat sweep --queue puts on a Redis queue (BullMQ), until stopped')
    .requiredOption('--queue <redis-url>', 'the Redis the sweeps use, e.g. redis://10.0.0.5:6379')
    .option('--concurrency <n>', 'combinations at once (default: the number of cores)', parseCountOption)
    .option(
      '--project <dir>',
      "this machine's copy of the project (default: the project of the current folder)",
    )
    .option(
      '--lock-ms <ms>',
      'how long a job stays with a worker that stopped answering before another takes it (default 30000)',
      parseCountOption,
    )
    .addOption(strategyRootOption())
    .addOption(allowPackageOption())
    .addOption(verboseOption())
    .addHelpText(
      'after',
      examples(
        'strat worker --queue redis://10.0.0.5:6379',
        'strat sweep session_configs/demo.json -p simple_ma_cross.fast_period=5:30:5 --queue redis://10.0.0.5:6379',
      ) +
        '\nEvery machine needs the project (same layout: configs, data files and strategies at the same paths relative\n' +
        'to the project root) and its dependencies installed. A job carries the config and the combination only;\n' +
        'strategies load under the same rules as strat run on this machine. A worker killed mid-job: its job goes\n' +
        'back to the queue when its lock expires and another worker runs it; the sweep counts each combination once.\n' +
        MODULE_RULES,
    )
    .action(async (options) => {
      const { workerCommand } = await import('./sweep/worker-command');
      setExitCode(await workerCommand(options));
    });

  program
    .command('report')
    .description('write one self-contained HTML report (charts, stats, trades) from a results folder')
    .argument('<results_dir>', 'a folder written by strat run --results')
    .option('-o, --output <file>', 'the HTML file to write (default: report.html in the results folder)')
    .addOption(verboseOption())
    .addHelpText(
      'after',
      examples('strat report out/demo -o out/demo.html') +
        '\nThe page works offline (the chart library is inlined): per traded series a candlestick chart with the\n' +
        'fills, equity and drawdown curves, the statistics per strategy and in total, a sortable trades table, the\n' +
        "run's execution settings, config and data quality.\n",
    )
    .action(async (dir: string, options: { output?: string }) => {
      setExitCode(await reportCommand(dir, options));
    });

  program
    .command('validate')
    .description('check session configs without running them; print every problem with its JSON path')
    .argument('<session_config...>', 'session config files')
    .option('--json', 'print the results as JSON')
    .option(
      '--types',
      "also type-check the configs' TypeScript strategy and scanner files with the project's TypeScript",
    )
    .addOption(strategyRootOption())
    .addOption(allowPackageOption())
    .addOption(verboseOption())
    .addHelpText(
      'after',
      examples(
        'strat validate session_configs/demo.json',
        'strat validate session_configs/*.json --json',
        'strat validate session_configs/demo.json --types',
      ) +
        '\nThe check strat run makes before its first bar: the schema, the calendar and dates, the data (CSV\n' +
        'files readable with their mapping), and every strategy and scanner: its module loads (importing runs\n' +
        'it), exports its class, and each strategy is set up without bars and subscribes only to streamed\n' +
        'series. Exit code 2 when any file has a problem.\n' +
        '\nWith --types, the TypeScript strategy and scanner files the configs name (and what they import) are\n' +
        "type-checked with the project's own typescript package and the compiler options of the nearest\n" +
        'tsconfig.json up to the project root (else strict ES module defaults); each error is printed at its\n' +
        'file:line:column, and any error makes the exit code 2.\n' +
        MODULE_RULES,
    )
    .action(
      async (
        files: string[],
        options: { json?: boolean; types?: boolean; strategyRoot?: string[]; allowPackage?: string[] },
      ) => {
        setExitCode(await validateCommand(files, options));
      },
    );

  const data = program
    .command('data')
    .description('make and check bar data files')
    .addHelpText(
      'after',
      examples('strat data generate --help', 'strat data inspect --help', 'strat data import --help'),
    );

  data
    .command('generate')
    .description(
      'write CSV or Parquet files (or an Arrow IPC catalog) of generated bars, the same bars as the built-in generator source',
    )
    .requiredOption('--symbols <list>', 'comma-separated symbols', parseSymbolsOption)
    .requiredOption('--from <date>', 'first session date (YYYY-MM-DD)', parseDateOption)
    .requiredOption('--to <date>', 'last session date, inclusive (YYYY-MM-DD)', parseDateOption)
    .requiredOption(
      '--out <dir>',
      'folder for the files (one <SYMBOL>-<interval>.<format> per symbol; with --format arrow, the catalog)',
    )
    .addOption(
      new Option(
        '--format <format>',
        'csv or parquet files, or an Arrow IPC catalog (as strat data import makes)',
      )
        .choices(['csv', 'parquet', 'arrow'])
        .default('csv'),
    )
    .option('--interval <interval>', 'bar interval, up to 1d', parseIntervalOption, '1m' as Interval)
    .option('--seed <n>', 'random seed', parseSeedOption, 42)
    .option('--missing <rate>', 'share of bars left out on purpose, 0 to 0.5', parseMissingRateOption, 0)
    .addOption(
      new Option(
        '--calendar <preset|file>',
        'trading sessions: us_equities (US equity hours), cme_globex_equity (CME Globex equity futures), 24x7, ' +
          'or a JSON file with a calendar section or a session config (its session_data_config.calendar)',
      )
        .argParser(parseCalendarOption)
        .default(parseCalendarOption('us_equities'), 'us_equities'),
    )
    .option('--force', 'replace files that exist')
    .option('--json', 'print what was written as JSON')
    .addOption(verboseOption())
    .addHelpText(
      'after',
      examples(
        'strat data generate --symbols AAPL,MSFT --from 2024-01-02 --to 2024-03-29 --out data/',
        'strat data generate --symbols BTC --from 2024-01-01 --to 2024-01-07 --calendar 24x7 --interval 5m --out data/',
        'strat data generate --symbols GAPPY --from 2024-01-02 --to 2024-01-05 --missing 0.02 --seed 7 --out data/',
        'strat data generate --symbols AAPL --from 2024-01-02 --to 2024-03-29 --format parquet --out data/',
      ) +
        '\nColumns: timestamp,open,high,low,close,volume, timestamps ISO UTC at the start of each bar. A session\n' +
        'config with data_config.source "csv" on these files replays the same bars as data_config.source\n' +
        '"generator" with the same seed, calendar and base interval. --format parquet writes the same\n' +
        'columns to Parquet (timestamp as a UTC TIMESTAMP), read with data_config.source "parquet".\n',
    )
    .action(
      async (options: {
        symbols: string[];
        from: string;
        to: string;
        out: string;
        interval: Interval;
        seed: number;
        missing: number;
        calendar: CalendarOption;
        format: GenerateFormat;
        force?: boolean;
        json?: boolean;
      }) => {
        setExitCode(
          await generateCommand({
            format: options.format,
            symbols: options.symbols,
            from: options.from,
            to: options.to,
            interval: options.interval,
            outDir: options.out,
            seed: options.seed,
            missingBarRate: options.missing,
            calendar: options.calendar,
            force: options.force,
            json: options.json,
          }),
        );
      },
    );

  data
    .command('inspect')
    .description(
      'describe a CSV file of bars: rows, date range, sessions, gaps, quality per session, bad rows',
    )
    .argument(
      '<file>',
      'CSV file, or a catalog folder (strat data import): its symbols, intervals, ranges, partitions',
    )
    .option(
      '--interval <interval>',
      'bar interval of the file (default: the most common spacing of its bars within a session)',
      parseIntervalOption,
    )
    .option(
      '--columns <mapping>',
      'which column holds what, as field=column pairs: timestamp=ts,close=Close (fields: timestamp, date, ' +
        'time, open, high, low, close, volume; default: columns of those names, any case, or datetime)',
      parseColumnsOption,
    )
    .option(
      '--timezone <zone>',
      "IANA time zone of times written without an offset (default: the calendar's)",
    )
    .addOption(
      new Option('--time-label <label>', "whether a row's time is its bar's start or end")
        .choices(['start', 'end'])
        .default('start'),
    )
    .addOption(
      new Option(
        '--timestamp-format <format>',
        'how the timestamp column is written (epoch_us, epoch_ns: Parquet only; TIMESTAMP columns need none)',
      ).choices(['iso', 'epoch_s', 'epoch_ms', 'epoch_us', 'epoch_ns']),
    )
    .addOption(
      new Option('--date-format <format>', 'how a date column is written').choices([
        'YYYY-MM-DD',
        'YYYYMMDD',
        'MM/DD/YYYY',
      ]),
    )
    .option('--delimiter <char>', 'field separator of CSV files (default ",")')
    .addOption(
      new Option(
        '--calendar <preset|file>',
        'the trading sessions to measure against (holidays named, not missing): us_equities, cme_globex_equity, ' +
          '24x7, or a JSON file with a calendar section or a session config (its session_data_config.calendar)',
      )
        .argParser(parseCalendarOption)
        .default(parseCalendarOption('us_equities'), 'us_equities'),
    )
    .option('--all', 'list every session and every bad row kept')
    .option('--json', 'print the report as JSON')
    .addOption(verboseOption())
    .addHelpText(
      'after',
      examples(
        'strat data inspect data/AAPL-1m.csv',
        'strat data inspect session_configs/data/acme-1m-end-labelled.csv --time-label end',
        'strat data inspect btc.csv --calendar 24x7 --interval 5m --json',
        'strat data inspect data/es-1m.csv --calendar session_configs/es.json',
      ) +
        '\nColumns are found as a session finds them: timestamp (or datetime) or date + time, then open, high,\n' +
        'low, close, volume. Bad rows are skipped and listed with their line numbers.\n',
    )
    .action(
      async (
        file: string,
        options: {
          interval?: Interval;
          timezone?: string;
          timeLabel: 'start' | 'end';
          timestampFormat?: 'iso' | 'epoch_s' | 'epoch_ms';
          dateFormat?: 'YYYY-MM-DD' | 'YYYYMMDD' | 'MM/DD/YYYY';
          delimiter?: string;
          calendar: CalendarOption;
          all?: boolean;
          json?: boolean;
        },
      ) => {
        if (isFolder(file)) {
          setExitCode(catalogSummaryCommand(file, { json: options.json }));
          return;
        }
        setExitCode(await inspectCommand({ file, ...options }));
      },
    );

  data
    .command('import')
    .description(
      'convert CSV and Parquet files into an Arrow IPC catalog: one file per symbol, interval and year',
    )
    .argument('[files...]', "CSV and Parquet (.parquet, .pq) files; a symbol's files in time order")
    .requiredOption(
      '--to <dir>',
      'the catalog folder (made when missing; series are added to one that is there)',
    )
    .option(
      '--config <file>',
      "import the CSV or Parquet files of a session config's data_config, with their settings",
    )
    .option(
      '--symbol <symbol>',
      'symbol of the files (default: the file name up to its first - or .)',
      parseSymbolOption,
    )
    .option(
      '--interval <interval>',
      'bar interval (default: the -<interval> of the file name, AAPL-5m.csv, else 1m)',
      parseIntervalOption,
    )
    .option(
      '--columns <mapping>',
      'which column holds what, as field=column pairs: timestamp=ts,close=Close (fields: timestamp, date, ' +
        'time, open, high, low, close, volume; default: columns of those names, any case, or datetime)',
      parseColumnsOption,
    )
    .option(
      '--timezone <zone>',
      "IANA time zone of times written without an offset (default: the calendar's)",
    )
    .addOption(
      new Option('--time-label <label>', "whether a row's time is its bar's start or end").choices([
        'start',
        'end',
      ]),
    )
    .addOption(
      new Option(
        '--timestamp-format <format>',
        'how the timestamp column is written (epoch_us, epoch_ns: Parquet only; TIMESTAMP columns need none)',
      ).choices(['iso', 'epoch_s', 'epoch_ms', 'epoch_us', 'epoch_ns']),
    )
    .addOption(
      new Option('--date-format <format>', 'how a date column is written').choices([
        'YYYY-MM-DD',
        'YYYYMMDD',
        'MM/DD/YYYY',
      ]),
    )
    .option('--delimiter <char>', 'field separator of CSV files (default ",")')
    .addOption(
      new Option('--calendar <preset>', 'default time zone and the open of date-only daily bars').choices([
        'us_equities',
        '24x7',
      ]),
    )
    .addOption(
      new Option(
        '--on-bad-row <policy>',
        'fail at the first bad row, or skip bad rows and list them',
      ).choices(['fail', 'skip']),
    )
    .option('--force', 'replace series the catalog holds')
    .option('--json', 'print what was imported as JSON')
    .addOption(verboseOption())
    .addHelpText(
      'after',
      examples(
        'strat data import data/AAPL-1m.csv data/MSFT-1m.csv --to data/catalog',
        'strat data import es-2023.csv es-2024.csv --symbol ES --timezone America/Chicago --time-label end --to catalog',
        'strat data import ES-1m.parquet --columns timestamp=ts_event --timestamp-format epoch_ns --to catalog',
        'strat data import --config session_configs/csv_example.json --to data/catalog',
      ) +
        '\nRows are read exactly as the CSV and Parquet sources read them in a session (columns, time zone,\n' +
        "time label, checks); a symbol's files are all CSV or all Parquet. Stored times are UTC bar starts.\n" +
        'Nothing is visible in the catalog until every file is in.\n',
    )
    .action(
      async (
        files: string[],
        options: {
          to: string;
          config?: string;
          symbol?: string;
          interval?: Interval;
          columns?: ParquetColumnMapping;
          timezone?: string;
          timeLabel?: 'start' | 'end';
          timestampFormat?: ParquetTimestampFormat;
          dateFormat?: 'YYYY-MM-DD' | 'YYYYMMDD' | 'MM/DD/YYYY';
          delimiter?: string;
          calendar?: CalendarPreset;
          onBadRow?: 'fail' | 'skip';
          force?: boolean;
          json?: boolean;
        },
      ) => {
        setExitCode(await importCommand({ files, ...options }));
      },
    );

  const feed = program
    .command('feed')
    .description('market-data feeds for live mode')
    .addHelpText('after', examples('strat feed serve --help'));

  feed
    .command('serve')
    .description(
      'replay historical or generated 1m bars over the Alpaca market-data stream protocol, for live mode offline',
    )
    .argument(
      '<config_or_csv>',
      'a session config (.json: its data_config and backtest dates) or a CSV file of 1m bars',
    )
    .option('--port <port>', 'port to listen on (0 = any free port, printed)', parsePortOption, 8765)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option(
      '--speed <multiplier>',
      'replayed time per wall time (60 = an hour of bars a minute)',
      parseReplaySpeedOption,
      60,
    )
    .option('--key <key>', 'API key clients must send (default: live_config.key, then STRAT_FEED_KEY)')
    .option(
      '--secret <secret>',
      'API secret clients must send (default: live_config.secret, then STRAT_FEED_SECRET)',
    )
    .addOption(
      new Option(
        '--from <date>',
        "first replayed date (default: backtest_config.start_date, or the CSV's first)",
      ).argParser(parseDateOption),
    )
    .addOption(
      new Option(
        '--to <date>',
        "last replayed date (default: backtest_config.end_date, or the CSV's last)",
      ).argParser(parseDateOption),
    )
    .option(
      '--symbol <symbol>',
      'CSV only: the symbol of its bars (default: the file name in capitals)',
      parseSymbolOption,
    )
    .addOption(
      new Option('--log-level <level>', 'lowest level of log lines on stderr (clients, sessions replayed)')
        .choices(['debug', 'info', 'warn', 'error', 'silent'])
        .default('info'),
    )
    .addOption(verboseOption())
    .addHelpText(
      'after',
      examples(
        'STRAT_FEED_KEY=demo STRAT_FEED_SECRET=demo-secret strat feed serve session_configs/demo.json',
        'strat feed serve session_configs/live_replay.json --speed 600',
        'strat feed serve data/AAPL-1m.csv --from 2024-01-03 --to 2024-01-05 --port 0',
        'strat feed serve spy.csv --symbol SPY --speed 1 --host 0.0.0.0',
      ) +
        '\nClients (a live session: mode "live", live_config.feed_url "ws://127.0.0.1:8765") authenticate with the\n' +
        'same key and secret; prefer the STRAT_FEED_KEY / STRAT_FEED_SECRET variables to --key / --secret, which\n' +
        'other users of the machine can see in the process list. The replay clock starts at the first\n' +
        'subscription and skips the nights; each bar is sent when its minute is over in replay time. The\n' +
        'command ends (exit 0) once every bar was sent and the clients left, or at Ctrl-C (exit 130).\n',
    )
    .action(
      async (
        path: string,
        options: {
          port: number;
          host: string;
          speed: number;
          key?: string;
          secret?: string;
          from?: string;
          to?: string;
          symbol?: string;
          logLevel: LogLevel;
          verbose?: boolean;
        },
      ) => {
        setExitCode(await feedServeCommand(path, options));
      },
    );

  const scaffold = program
    .command('new')
    .description('scaffold project files')
    .addHelpText('after', examples('strat new strategy mean_reversion'));

  scaffold
    .command('strategy')
    .description('scaffold strategies/production/<name>.ts, its test, and session_configs/<name>.json')
    .argument(
      '<name>',
      'snake_case name; the class is named after it (mean_reversion -> MeanReversionStrategy)',
    )
    .option('--no-config', 'do not write session_configs/<name>.json')
    .addOption(verboseOption())
    .addHelpText(
      'after',
      examples('strat new strategy mean_reversion', 'strat new strategy breakout_5m --no-config') +
        '\nThe files go into the project holding the working directory (the nearest folder up with a\n' +
        'strategies/ folder or pnpm-workspace.yaml). Existing files are never overwritten. The scaffold is a\n' +
        'working channel breakout whose test passes as generated.\n',
    )
    .action((name: string, options: { config?: boolean }) => {
      setExitCode(newStrategyCommand(name, options));
    });

  return program;
}
