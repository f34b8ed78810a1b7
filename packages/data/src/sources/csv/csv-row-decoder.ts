import { DAY_MS, formatCivilDate } from '../../calendar/civil-date';
import type { TradingCalendar } from '../../calendar/trading-calendar';
import { clipValue } from './clip-value';
import type { CsvColumnIndexes } from './csv-columns';
import { parsePlainDecimal } from './csv-decimal';
import type { CsvDateFormat, CsvTimestampFormat } from './csv-file-spec';
import {
  IsoTimestampParser,
  parseCsvDate,
  parseCsvTimeOfDay,
  parseLocalDateTime,
  WallClockZone,
} from './csv-time-format';

/** Everything a {@link CsvRowDecoder} needs to turn a row into a bar. */
export interface CsvRowDecoderOptions {
  columns: CsvColumnIndexes;
  dateFormat: CsvDateFormat;
  timestampFormat: CsvTimestampFormat;
  /** Time zone of local times in the file. */
  timezone: string;
  intervalMs: number;
  /** Rows are labelled by their bar's end: move them back one interval. */
  labelEnd: boolean;
  /** Date-only rows of daily (or longer) files are labelled at this calendar's open on that date. */
  calendar: Pick<TradingCalendar, 'hoursOn'>;
}

/**
 * Turns CSV records into start-labelled bars and checks each one (numbers finite, high and low
 * enclosing open and close, volume not negative). One decoder per read: `decode` fills its fields.
 */
export class CsvRowDecoder {
  /** Bar start, epoch ms UTC, of the last decoded row. */
  time = 0;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  volume = 0;
  private readonly options: CsvRowDecoderOptions;
  private readonly iso = new IsoTimestampParser();
  private readonly zone: WallClockZone;
  private problem: string | undefined;

  constructor(options: CsvRowDecoderOptions) {
    this.options = options;
    this.zone = new WallClockZone(options.timezone);
  }

  /** Decodes and checks one record; returns what is wrong with it, or undefined when it is a good bar. */
  decode(record: readonly string[]): string | undefined {
    this.problem = undefined;
    const columns = this.options.columns;
    this.open = this.numberAt(record, columns.open, 'open');
    this.high = this.numberAt(record, columns.high, 'high');
    this.low = this.numberAt(record, columns.low, 'low');
    this.close = this.numberAt(record, columns.close, 'close');
    this.volume = this.numberAt(record, columns.volume, 'volume');
    if (this.problem !== undefined) return this.problem;
    this.time = columns.timestamp >= 0 ? this.timestampAt(record) : this.dateTimeAt(record);
    if (this.problem !== undefined) return this.problem;

    return barProblem(this.open, this.high, this.low, this.close, this.volume);
  }

  /**
   * The bar start (epoch ms UTC) of a timestamp cell's text, by the decoder's format, zone and label;
   * NaN with {@link problem} set when it is not a time.
   */
  timestampOf(text: string): number {
    this.problem = undefined;
    return this.timestampText(text);
  }

  /** The bar start of a date cell and an optional time cell, as {@link timestampOf} for a timestamp. */
  dateTimeOf(dateText: string, timeText: string | undefined): number {
    this.problem = undefined;
    return this.dateTimeText(dateText, timeText);
  }

  /** The bar start of a wall-clock reading (local time as if UTC, epoch ms) in the decoder's zone, labelled. */
  wallTimeOf(wallTime: number): number {
    return this.labelled(this.zone.toUtc(wallTime));
  }

  /** What was wrong with the last {@link timestampOf} or {@link dateTimeOf}, or undefined. */
  get lastProblem(): string | undefined {
    return this.problem;
  }

  private cell(record: readonly string[], index: number, field: string): string | undefined {
    const text = record[index];
    if (text === undefined) {
      this.problem ??= `no ${field} value: the row has only ${record.length} fields`;
    } else if (text === '') {
      this.problem ??= `${field} is empty`;
    } else {
      return text;
    }
    return undefined;
  }

  private numberAt(record: readonly string[], index: number, field: string): number {
    const text = this.cell(record, index, field);
    if (text === undefined) return Number.NaN;
    const fast = parsePlainDecimal(text, 0, text.length);
    if (!Number.isNaN(fast)) return fast;
    const value = Number(text);
    if (!Number.isFinite(value)) this.problem ??= `${field} "${clipValue(text)}" is not a finite number`;
    return value;
  }

  private timestampAt(record: readonly string[]): number {
    const text = this.cell(record, this.options.columns.timestamp, 'timestamp');
    if (text === undefined) return Number.NaN;
    return this.timestampText(text);
  }

  private timestampText(text: string): number {
    const format = this.options.timestampFormat;
    if (format === 'iso') {
      const wallTime = parseLocalDateTime(text, 0, text.length);
      if (!Number.isNaN(wallTime)) return this.labelled(this.zone.toUtc(wallTime));
    }
    if (format !== 'iso') {
      const value = Number(text);
      if (!Number.isFinite(value)) {
        this.problem = `timestamp "${clipValue(text)}" is not a number of ${format === 'epoch_s' ? 'seconds' : 'milliseconds'} since 1970`;
        return Number.NaN;
      }
      return this.labelled(format === 'epoch_s' ? Math.round(value * 1000) : Math.round(value));
    }
    if (!this.iso.parse(text)) {
      this.problem = `timestamp "${clipValue(text)}" is not an ISO 8601 date-time such as 2024-03-08T09:30:00 or 2024-03-08T14:30:00Z`;
      return Number.NaN;
    }
    if (!this.iso.hasTimeOfDay) return this.dateOnly(this.iso.day, text);
    if (Number.isNaN(this.iso.offsetMs)) return this.labelled(this.zone.toUtc(this.iso.wallTime));
    return this.labelled(this.iso.wallTime - this.iso.offsetMs);
  }

  private dateTimeAt(record: readonly string[]): number {
    const { columns } = this.options;
    const dateText = this.cell(record, columns.date, 'date');
    if (dateText === undefined) return Number.NaN;
    const day = this.dayOf(dateText);
    if (day === undefined) return Number.NaN;
    if (columns.time < 0) return this.dateOnly(day, dateText);
    const timeText = this.cell(record, columns.time, 'time');
    if (timeText === undefined) return Number.NaN;
    return this.timeOnDay(day, timeText);
  }

  private dateTimeText(dateText: string, timeText: string | undefined): number {
    const day = this.dayOf(dateText);
    if (day === undefined) return Number.NaN;
    return timeText === undefined ? this.dateOnly(day, dateText) : this.timeOnDay(day, timeText);
  }

  private dayOf(dateText: string): number | undefined {
    const { dateFormat } = this.options;
    const day = parseCsvDate(dateText, dateFormat);
    if (day === undefined)
      this.problem = `date "${clipValue(dateText)}" is not a real date written ${dateFormat}`;
    return day;
  }

  private timeOnDay(day: number, timeText: string): number {
    const timeOfDay = parseCsvTimeOfDay(timeText);
    if (timeOfDay === undefined) {
      this.problem = `time "${clipValue(timeText)}" is not a time of day written HH:MM or HH:MM:SS`;
      return Number.NaN;
    }
    return this.labelled(this.zone.toUtc(day * DAY_MS + timeOfDay));
  }

  /** Daily and longer bars given by date alone start at the calendar's open that day (the label setting does not apply). */
  private dateOnly(day: number, text: string): number {
    if (this.options.intervalMs < DAY_MS) {
      this.problem = `"${clipValue(text)}" has no time of day, which only daily or longer bars may leave out`;
      return Number.NaN;
    }
    return this.options.calendar.hoursOn(formatCivilDate(day)).open;
  }

  private labelled(time: number): number {
    return this.options.labelEnd ? time - this.options.intervalMs : time;
  }
}

/** What is wrong with a bar's prices and volume (high and low enclosing open and close, volume not negative), or undefined. */
export function barProblem(
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): string | undefined {
  if (high < open || high < close) {
    return close > open ? `high ${high} is below close ${close}` : `high ${high} is below open ${open}`;
  }
  if (low > open || low > close) {
    return close < open ? `low ${low} is above close ${close}` : `low ${low} is above open ${open}`;
  }
  if (volume < 0) return `volume ${volume} is negative`;
  return undefined;
}
