import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradingCalendar } from '../../calendar/trading-calendar';
import { utcToZonedParts, zonedWallTimeToUtc } from '../../calendar/zoned-time';
import type { BarSource } from '../bar-source';
import { CsvBarSource } from '../csv/csv-bar-source';
import type { CsvFileSpec } from '../csv/csv-file-spec';
import { CatalogBarSource } from './catalog-bar-source';
import { CatalogWriter, fileSha256 } from './catalog-writer';

const ZONE = 'America/New_York';
const calendar = TradingCalendar.usEquities();
/** Days around both DST changes of 2024 in New York, and a year end (two partitions). */
const DAYS = [
  '2023-12-29',
  '2024-01-02',
  '2024-03-08',
  '2024-03-10',
  '2024-03-11',
  '2024-11-01',
  '2024-11-03',
  '2024-11-04',
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strat-catalog-rt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(source: BarSource, symbol: string, from: number, to: number): Promise<number[][]> {
  const rows: number[][] = [];
  for await (const c of source.read(symbol, from, to)) {
    for (let i = 0; i < c.length; i++) {
      rows.push([
        c.time[i] as number,
        c.open[i] as number,
        c.high[i] as number,
        c.low[i] as number,
        c.close[i] as number,
        c.volume[i] as number,
      ]);
    }
  }
  return rows;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** One day's bars: a start minute after the spring-forward and before the fall-back hour, runs with gaps. */
const dayArb = fc.record({
  day: fc.constantFrom(...DAYS),
  startMinute: fc.integer({ min: 3 * 60, max: 20 * 60 }),
  steps: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 120 }),
});

const fileArb = fc.record({
  days: fc.uniqueArray(dayArb, { minLength: 1, maxLength: 4, selector: (d) => d.day }),
  label: fc.constantFrom('start' as const, 'end' as const),
  layout: fc.constantFrom('date+time' as const, 'iso-local' as const, 'iso-utc' as const),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

type FileSpec = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;

function writeCsv(spec: FileSpec): string {
  const days = [...spec.days].sort((a, b) => a.day.localeCompare(b.day));
  let price = 100 + (spec.seed % 50);
  let rng = spec.seed;
  const next = () => {
    rng = (rng * 1103515245 + 12345) % 2147483648;
    return rng / 2147483648;
  };
  const lines = [
    spec.layout === 'date+time'
      ? 'Date,Time,Open,High,Low,Close,Volume'
      : 'timestamp,open,high,low,close,volume',
  ];
  for (const d of days) {
    let minute = d.startMinute;
    for (const step of d.steps) {
      minute += step;
      if (minute >= 24 * 60) break;
      const local = `${d.day}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:00`;
      const open = price;
      const close = Math.round((price + (next() - 0.5) * 2) * 100) / 100;
      const high = Math.max(open, close) + Math.round(next() * 50) / 100;
      const low = Math.min(open, close) - Math.round(next() * 50) / 100;
      const volume = Math.floor(next() * 10_000);
      price = close;
      const values = `${open},${high},${low},${close},${volume}`;
      if (spec.layout === 'date+time') lines.push(`${d.day},${local.slice(11, 16)},${values}`);
      else if (spec.layout === 'iso-local') lines.push(`${local},${values}`);
      else {
        const utc = zonedWallTimeToUtc(Date.parse(`${local}Z`), ZONE);
        lines.push(`${new Date(utc).toISOString()},${values}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('CSV -> catalog -> bars', () => {
  it('gives the bars CSV -> bars gives, over gaps, DST days, both time labels and any range', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })),
        async (spec, [a, b]) => {
          run++;
          const csvPath = join(dir, `rt-${run}.csv`);
          await writeFile(csvPath, writeCsv(spec));
          const file: CsvFileSpec = {
            path: csvPath,
            symbol: 'RT',
            interval: '1m',
            timezone: ZONE,
            time_label: spec.label,
          };
          const csv = () => new CsvBarSource({ files: [file], calendar });
          const catalogDir = join(dir, `catalog-${run}`);
          const writer = await CatalogWriter.open(catalogDir);
          await writer.add({
            symbol: 'RT',
            interval: '1m',
            source: csv(),
            sources: [{ path: csvPath, ...(await fileSha256(csvPath)) }],
            applied: { source: 'csv', timezone: ZONE, time_label: spec.label },
          });
          await writer.commit();
          const catalog = new CatalogBarSource({ path: catalogDir });

          const all = await readAll(csv(), 'RT', -Infinity, Infinity);
          expect(await readAll(catalog, 'RT', -Infinity, Infinity)).toEqual(all);
          // A sub-range, cut at bars that exist or fall between them.
          const first = all[0]?.[0] as number;
          const last = all.at(-1)?.[0] as number;
          const cut = (p: number) => first + Math.round(((last - first) * p) / 100) + (p % 2) * 30_000;
          const [from, to] = [cut(Math.min(a, b)), cut(Math.max(a, b))];
          expect(await readAll(catalog, 'RT', from, to)).toEqual(await readAll(csv(), 'RT', from, to));
          const rows = catalog.manifest.series[0]?.rows;
          expect(rows).toBe(all.length);
          expect(catalog.manifest.series[0]?.partitions.map((p) => p.key)).toEqual([
            ...new Set(all.map((r) => String(new Date(r[0] as number).getUTCFullYear()))),
          ]);
          // The stored times are UTC bar starts: an end label moved them back a minute.
          const firstDay = [...spec.days].sort((x, y) => x.day.localeCompare(y.day))[0];
          if (firstDay !== undefined && firstDay.startMinute + (firstDay.steps[0] ?? 0) < 24 * 60) {
            const parts = utcToZonedParts(first + (spec.label === 'end' ? 60_000 : 0), ZONE);
            expect(parts.date).toBe(firstDay.day);
          }
          await rm(catalogDir, { recursive: true, force: true });
        },
      ),
      { numRuns: 40 },
    );
  });
});
