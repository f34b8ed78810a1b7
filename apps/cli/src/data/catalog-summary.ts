import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Interval } from '@strat/core';
import { CATALOG_MANIFEST_FILE, type CatalogManifest, readCatalogManifest } from '@strat/data';
import Table from 'cli-table3';
import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { type Colors, colorsFor } from '../terminal/colors';

/** One series of a catalog, as `strat data inspect DIR` reports it. */
export interface CatalogSeriesSummary {
  symbol: string;
  interval: Interval;
  rows: number;
  /** First and last bar start, ISO UTC. */
  first: string | undefined;
  last: string | undefined;
  partitions: { key: string; file: string; rows: number; bytes: number; present: boolean }[];
  /** The files imported, with their SHA-256. */
  sources: { path: string; sha256: string; bytes: number }[];
  /** Time zone and label that were applied (or the generator that made the bars). */
  applied: CatalogManifest['series'][number]['applied'];
}

/** What `strat data inspect DIR` reports about a catalog. */
export interface CatalogSummary {
  catalog: string;
  version: number;
  symbols: string[];
  intervals: Interval[];
  rows: number;
  bytes: number;
  /** Partition files the manifest lists that are missing or not the size it says. */
  damaged: string[];
  series: CatalogSeriesSummary[];
}

function iso(time: number | undefined): string | undefined {
  return time === undefined ? undefined : new Date(time).toISOString().replace('.000Z', 'Z');
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/**
 * Summarises the catalog in `dir` from its manifest, checking that every partition it lists is
 * there with the size it says.
 * @throws DataError when the folder holds no catalog manifest, or one that is not a catalog's.
 */
export function summariseCatalog(dir: string): CatalogSummary {
  const manifest = readCatalogManifest(dir);
  const damaged: string[] = [];
  let bytes = 0;
  const series = manifest.series.map(
    (s): CatalogSeriesSummary => ({
      symbol: s.symbol,
      interval: s.interval,
      rows: s.rows,
      first: iso(s.first),
      last: iso(s.last),
      partitions: s.partitions.map((p) => {
        const size = sizeOf(join(dir, p.file));
        const present = size === p.bytes;
        if (!present) damaged.push(p.file);
        bytes += p.bytes;
        return { key: p.key, file: p.file, rows: p.rows, bytes: p.bytes, present };
      }),
      sources: s.sources,
      applied: s.applied,
    }),
  );
  return {
    catalog: dir,
    version: manifest.version,
    symbols: [...new Set(series.map((s) => s.symbol))],
    intervals: [...new Set(series.map((s) => s.interval))],
    rows: series.reduce((sum, s) => sum + s.rows, 0),
    bytes,
    damaged,
    series,
  };
}

const integer = new Intl.NumberFormat('en-US');

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function appliedText(applied: CatalogSeriesSummary['applied']): string {
  if (applied.timezone === undefined) return applied.source;
  return `${applied.source}, ${applied.timezone}, ${applied.time_label ?? 'start'}-labelled`;
}

/** The report `strat data inspect DIR` prints. */
export function renderCatalogSummary(r: CatalogSummary, colors: Colors): string {
  const label = (name: string) => colors.bold(name.padEnd(10));
  const lines = [
    `${label('catalog')} ${r.catalog} (${CATALOG_MANIFEST_FILE} version ${r.version}; times are UTC bar starts)`,
    `${label('symbols')} ${r.symbols.join(', ') || 'none'}`,
    `${label('intervals')} ${r.intervals.join(', ') || 'none'}`,
    `${label('rows')} ${integer.format(r.rows)} in ${r.series.reduce((n, s) => n + s.partitions.length, 0)} partitions, ${megabytes(r.bytes)}`,
  ];
  if (r.damaged.length > 0) {
    lines.push(
      `${label('damaged')} ${colors.red(`${r.damaged.length} partition file${r.damaged.length === 1 ? '' : 's'} missing or not the size the manifest says: ${r.damaged.join(', ')}`)}`,
    );
  }
  const table = new Table({
    head: ['symbol', 'interval', 'rows', 'first', 'last', 'partitions', 'from'].map((h) => colors.bold(h)),
    colAligns: ['left', 'left', 'right', 'left', 'left', 'left', 'left'],
    style: { head: [], border: [], compact: true },
  });
  for (const s of r.series) {
    const keys = s.partitions.map((p) => (p.present ? p.key : colors.red(`${p.key}!`)));
    table.push([
      s.symbol,
      s.interval,
      integer.format(s.rows),
      s.first ?? '',
      s.last ?? '',
      keys.length > 6
        ? `${keys.slice(0, 3).join(' ')} ... ${keys.slice(-2).join(' ')} (${keys.length})`
        : keys.join(' '),
      appliedText(s.applied),
    ]);
  }
  lines.push('', table.toString());
  return `${lines.join('\n')}\n`;
}

/** `strat data inspect DIR` on a catalog folder. Exits 2 (bad data) when a partition is missing or not its size. */
export function catalogSummaryCommand(dir: string, options: { json?: boolean }): ExitCodeValue {
  const summary = summariseCatalog(dir);
  process.stdout.write(
    options.json
      ? `${JSON.stringify(summary, null, 2)}\n`
      : renderCatalogSummary(summary, colorsFor(process.stdout)),
  );
  return summary.damaged.length > 0 ? ExitCode.USAGE : ExitCode.OK;
}
