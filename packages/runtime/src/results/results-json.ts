import type { ExecutionSettings, PerformanceStats } from '../execution/execution-types';

/** The stats in results.json's order, with their names there (snake_case). */
const STATS_KEYS: readonly (readonly [keyof PerformanceStats, string])[] = [
  ['initialCash', 'initial_cash'],
  ['finalEquity', 'final_equity'],
  ['totalReturn', 'total_return'],
  ['cagr', 'cagr'],
  ['volatility', 'volatility'],
  ['sharpe', 'sharpe'],
  ['sortino', 'sortino'],
  ['maxDrawdown', 'max_drawdown'],
  ['maxDrawdownDurationMs', 'max_drawdown_duration_ms'],
  ['calmar', 'calmar'],
  ['trades', 'trades'],
  ['winRate', 'win_rate'],
  ['profitFactor', 'profit_factor'],
  ['averageWin', 'average_win'],
  ['averageLoss', 'average_loss'],
  ['expectancy', 'expectancy'],
  ['exposurePct', 'exposure_pct'],
  ['commissions', 'commissions'],
  ['turnover', 'turnover'],
  ['tradingDays', 'trading_days'],
];

/** A value of results.json that is not what the format says: `path` names it (`strategies[0].stats.sharpe`). */
export class ResultsJsonError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** Stats as results.json holds them: snake_case names; Infinity becomes null through `JSON.stringify`. */
export function statsToJson(stats: PerformanceStats): Record<string, number> {
  const json: Record<string, number> = {};
  for (const [key, name] of STATS_KEYS) json[name] = stats[key];
  return json;
}

/** Settings as the `execution` section of a session config spells them. */
export function settingsToJson(settings: ExecutionSettings): Record<string, unknown> {
  const { sizing, commission } = settings;
  return {
    initial_cash: settings.initialCash,
    fill: settings.fill,
    slippage_bps: settings.slippageBps,
    commission: { per_unit: commission.perUnit, percent: commission.percent, minimum: commission.minimum },
    sizing:
      sizing.kind === 'units'
        ? { units: sizing.units }
        : { percent_equity: sizing.percent, lot_size: sizing.lotSize },
    allow_short: settings.allowShort,
    risk_free_rate: settings.riskFreeRate,
  };
}

/** Reads typed values out of parsed JSON, naming the path of the first one that is wrong. */
export class JsonReader {
  constructor(
    readonly value: unknown,
    readonly path: string,
  ) {}

  /** The object here. */
  object(): Record<string, unknown> {
    const v = this.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw this.error('expected an object');
    return v as Record<string, unknown>;
  }

  /** The array here, one reader per element. */
  array(): JsonReader[] {
    if (!Array.isArray(this.value)) throw this.error('expected an array');
    return this.value.map((v, i) => new JsonReader(v, `${this.path}[${i}]`));
  }

  /** A member of the object here (absent members read as undefined). */
  at(key: string): JsonReader {
    return new JsonReader(this.object()[key], this.path === '' ? key : `${this.path}.${key}`);
  }

  has(key: string): boolean {
    return this.object()[key] !== undefined;
  }

  number(): number {
    if (typeof this.value !== 'number') throw this.error('expected a number');
    return this.value;
  }

  /** A number, or null standing for Infinity (what `JSON.stringify` makes of it). */
  numberOrInfinity(): number {
    return this.value === null ? Number.POSITIVE_INFINITY : this.number();
  }

  string(): string {
    if (typeof this.value !== 'string') throw this.error('expected a string');
    return this.value;
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') throw this.error('expected true or false');
    return this.value;
  }

  /** One of `choices`. */
  oneOf<T extends string>(choices: readonly T[]): T {
    const s = this.string();
    if (!(choices as readonly string[]).includes(s))
      throw this.error(`expected one of ${choices.join(', ')}`);
    return s as T;
  }

  error(message: string): ResultsJsonError {
    return new ResultsJsonError(this.path, message);
  }
}

/** Stats back from results.json (null read as Infinity). */
export function statsFromJson(json: JsonReader): PerformanceStats {
  const stats: Partial<Record<keyof PerformanceStats, number>> = {};
  for (const [key, name] of STATS_KEYS) stats[key] = json.at(name).numberOrInfinity();
  return stats as PerformanceStats;
}

/** Settings back from results.json. */
export function settingsFromJson(json: JsonReader): ExecutionSettings {
  const commission = json.at('commission');
  const sizing = json.at('sizing');
  return {
    initialCash: json.at('initial_cash').number(),
    fill: json.at('fill').oneOf(['next_open', 'close'] as const),
    slippageBps: json.at('slippage_bps').number(),
    commission: {
      perUnit: commission.at('per_unit').number(),
      percent: commission.at('percent').number(),
      minimum: commission.at('minimum').number(),
    },
    sizing: sizing.has('units')
      ? { kind: 'units', units: sizing.at('units').number() }
      : {
          kind: 'percent_equity',
          percent: sizing.at('percent_equity').number(),
          lotSize: sizing.at('lot_size').number(),
        },
    allowShort: json.at('allow_short').boolean(),
    riskFreeRate: json.at('risk_free_rate').number(),
  };
}
