import { parseSessionConfig, parseSessionConfigText, type SessionConfig } from '@strat/core';
import { readSessionConfigText } from '@strat/data';
import { UsageError } from '../usage-error';

/**
 * Command-line settings that replace the config's (`strat run --mode --speed --from --to`). In a
 * live session `--to` is `live_config.end_date`; `--speed` and `--from` are for backtests only.
 */
export interface SessionConfigOverrides {
  mode?: 'backtest' | 'live';
  /** `backtest_config.speed_multiplier`. */
  speed?: number;
  /** `backtest_config.start_date`. */
  from?: string;
  /** `backtest_config.end_date` (live: `live_config.end_date`). */
  to?: string;
}

function describeOverrides(overrides: SessionConfigOverrides): string {
  const flags: string[] = [];
  if (overrides.mode !== undefined) flags.push(`--mode ${overrides.mode}`);
  if (overrides.speed !== undefined) flags.push(`--speed ${overrides.speed}`);
  if (overrides.from !== undefined) flags.push(`--from ${overrides.from}`);
  if (overrides.to !== undefined) flags.push(`--to ${overrides.to}`);
  return flags.join(' ');
}

/**
 * Reads and validates a session config, then applies the command-line overrides and validates the
 * result again, so that an override that does not fit (an end date before the start) is reported
 * with its JSON path like any config problem.
 * @throws ConfigError (file as written, or after the overrides), StratError when the file cannot be read
 */
export function loadSessionConfig(path: string, overrides: SessionConfigOverrides = {}): SessionConfig {
  const text = readSessionConfigText(path);
  const config = parseSessionConfigText(text, { file: path });
  const flags = describeOverrides(overrides);
  if (flags === '') return config;

  // The file parsed, so it is a JSON object; the overrides go onto the document as written so that
  // the defaults are applied once, by the schema.
  const raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>;
  if (overrides.mode !== undefined) raw.mode = overrides.mode;
  if (raw.mode === 'live') {
    applyLiveOverrides(raw, overrides);
  } else if (overrides.speed !== undefined || overrides.from !== undefined || overrides.to !== undefined) {
    const existing = raw.backtest_config;
    const backtest: Record<string, unknown> =
      existing !== null && typeof existing === 'object' ? { ...(existing as Record<string, unknown>) } : {};
    if (overrides.speed !== undefined) backtest.speed_multiplier = overrides.speed;
    if (overrides.from !== undefined) backtest.start_date = overrides.from;
    if (overrides.to !== undefined) backtest.end_date = overrides.to;
    raw.backtest_config = backtest;
  }
  return parseSessionConfig(raw, { file: `${path} (after ${flags})` });
}

function applyLiveOverrides(raw: Record<string, unknown>, overrides: SessionConfigOverrides): void {
  const backtestOnly = [
    overrides.speed === undefined ? undefined : '--speed',
    overrides.from === undefined ? undefined : '--from',
  ].filter((flag) => flag !== undefined);
  if (backtestOnly.length > 0) {
    throw new UsageError(
      `${backtestOnly.join(' and ')} ${backtestOnly.length === 1 ? 'applies' : 'apply'} to backtests only: a live session ` +
        'starts with the feed and runs at its pace (the replayer: strat feed serve --from --speed; live_config.speed ' +
        'sets the feed clock). --to sets live_config.end_date.',
    );
  }
  if (overrides.to === undefined) return;
  const existing = raw.live_config;
  const live: Record<string, unknown> =
    existing !== null && typeof existing === 'object' ? { ...(existing as Record<string, unknown>) } : {};
  live.end_date = overrides.to;
  raw.live_config = live;
}
