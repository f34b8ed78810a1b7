import { utcToZonedParts } from '@strat/data';
import Table from 'cli-table3';
import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { type Colors, colorsFor } from '../terminal/colors';
import { type CsvInspection, type InspectCsvOptions, inspectCsv } from './inspect-csv';

/** Options of `strat data inspect`. */
export interface InspectCommandOptions extends InspectCsvOptions {
  json?: boolean;
  /** Every session and every kept bad row, not only the worst ones. */
  all?: boolean;
}

const integer = new Intl.NumberFormat('en-US');
const INTERVAL_NOTES: Record<CsvInspection['intervalSource'], string> = {
  option: '',
  inferred: ' (inferred from the bar times; --interval to set it)',
  assumed: ' (assumed: too few bars to infer it; --interval to set it)',
};
const SESSIONS_SHOWN = 10;
const PROBLEMS_SHOWN = 10;

function percent(value: number): string {
  return `${value.toFixed(value === 100 ? 0 : 1)}%`;
}

function localTime(iso: string, timezone: string): string {
  const p = utcToZonedParts(Date.parse(iso), timezone);
  return `${p.date} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

function paintQuality(value: number, colors: Colors): string {
  const text = percent(value);
  return value >= 99.5 ? text : value >= 90 ? colors.yellow(text) : colors.red(text);
}

/** The report `strat data inspect` prints. */
export function renderInspection(r: CsvInspection, colors: Colors, all = false): string {
  const label = (name: string) => colors.bold(name.padEnd(9));
  const lines = [`${label('file')} ${r.file}`];
  const skipped =
    r.rowsSkipped === 0 ? '' : `, ${colors.yellow(`${integer.format(r.rowsSkipped)} bad rows skipped`)}`;
  lines.push(`${label('rows')} ${integer.format(r.rows)} (${integer.format(r.bars)} bars${skipped})`);
  if (r.first === undefined || r.last === undefined) {
    lines.push(colors.red('no valid bars in the file'));
  } else {
    lines.push(
      `${label('range')} ${r.first} to ${r.last} (${r.timezone}: ${localTime(r.first, r.timezone)} to ${localTime(r.last, r.timezone)})`,
    );
    lines.push(`${label('interval')} ${r.interval}${INTERVAL_NOTES[r.intervalSource]}`);
    const empty =
      r.emptySessions.length === 0
        ? ''
        : `, ${colors.yellow(`${integer.format(r.emptySessions.length)} without bars`)} (${r.emptySessions.slice(0, 5).join(', ')}${r.emptySessions.length > 5 ? ', ...' : ''})`;
    lines.push(
      `${label('sessions')} ${integer.format(r.sessions.length)} with bars${empty}, ${r.calendar} calendar`,
    );
    if (r.holidays.length > 0) {
      const named = r.holidays.slice(0, 5).map((h) => `${h.date} ${h.name}`);
      lines.push(
        `${label('holidays')} ${r.holidays.length} (${named.join(', ')}${r.holidays.length > 5 ? ', ...' : ''}): closed, not missing`,
      );
    }
    if (r.barsOnClosedDays > 0) {
      const days = r.closedDaysWithBars.slice(0, 5).map((d) => `${d.date} ${d.name}`);
      lines.push(
        `${label('closed')} ${colors.yellow(`${integer.format(r.barsOnClosedDays)} bar${r.barsOnClosedDays === 1 ? '' : 's'} on days the exchange is closed`)} (${days.join(', ')}${r.closedDaysWithBars.length > 5 ? ', ...' : ''})`,
      );
    }
    if (r.barsOutsideSessions > 0) {
      lines.push(
        `${label('outside')} ${colors.yellow(`${integer.format(r.barsOutsideSessions)} bar${r.barsOutsideSessions === 1 ? '' : 's'} outside session hours`)} (ignored by sessions)`,
      );
    }
    const largest =
      r.largestGap === undefined
        ? ''
        : ` (largest: ${r.largestGap.bars} bar${r.largestGap.bars === 1 ? '' : 's'} from ${localTime(r.largestGap.from, r.timezone)})`;
    lines.push(`${label('gaps')} ${integer.format(r.gapCount)}${largest}`);
    lines.push(
      r.sessions.length === 0
        ? `${label('quality')} ${colors.red('0%')}: no bar falls inside a session`
        : `${label('quality')} ${paintQuality(r.quality, colors)} of expected bars in sessions with bars`,
    );
    if (r.hint !== undefined) lines.push(`${label('hint')} ${colors.yellow(r.hint)}`);

    const sessions =
      all || r.sessions.length <= SESSIONS_SHOWN + 5
        ? r.sessions
        : [...r.sessions]
            .sort((a, b) => a.quality - b.quality || a.date.localeCompare(b.date))
            .slice(0, SESSIONS_SHOWN)
            .sort((a, b) => a.date.localeCompare(b.date));
    if (sessions.length > 0) {
      const table = new Table({
        head: ['session', 'bars', 'expected', 'quality', 'gaps', 'largest gap'].map((h) => colors.bold(h)),
        colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
        style: { head: [], border: [], compact: true },
      });
      for (const s of sessions) {
        table.push([
          s.date,
          integer.format(s.bars),
          integer.format(s.expected),
          paintQuality(s.quality, colors),
          String(s.gaps),
          s.largestGap === 0 ? '' : `${s.largestGap} bar${s.largestGap === 1 ? '' : 's'}`,
        ]);
      }
      const heading =
        sessions.length === r.sessions.length
          ? 'Sessions'
          : `The ${sessions.length} sessions with the lowest quality (of ${integer.format(r.sessions.length)}; --all shows every one)`;
      lines.push('', colors.bold(heading), table.toString());
    }
  }
  if (r.problems.length > 0) {
    const shown = all ? r.problems : r.problems.slice(0, PROBLEMS_SHOWN);
    lines.push('', colors.bold(`Bad rows (${shown.length} of ${integer.format(r.rowsSkipped)} shown)`));
    for (const p of shown) {
      const where = p.file === undefined ? '' : `${p.file}${p.line === undefined ? '' : `:${p.line}`}: `;
      lines.push(`  ${colors.yellow(where)}${p.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `strat data inspect <file.csv>`: rows, date range, sessions, gaps, quality per session, bad rows. */
export async function inspectCommand(options: InspectCommandOptions): Promise<ExitCodeValue> {
  const inspection = await inspectCsv(options);
  process.stdout.write(
    options.json
      ? `${JSON.stringify(inspection, null, 2)}\n`
      : renderInspection(inspection, colorsFor(process.stdout), options.all),
  );
  return ExitCode.OK;
}
