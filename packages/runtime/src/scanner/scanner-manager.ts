import {
  type BaseScanner,
  ConfigError,
  createLogger,
  intervalToMs,
  type LogLevel,
  type LogSink,
  type ScannerEntry,
  type StrategyContext,
  StrategyLoadError,
} from '@strat/core';
import { configErrorUnder } from '../config-check/config-issues-under';
import { moduleBaseName } from '../loader/find-strategy-class';
import { importStrategyModule } from '../loader/import-strategy-module';
import { resolveStrategyModule, strategyModuleUrl } from '../loader/resolve-strategy-module';
import { findScannerClass } from './find-scanner-class';

/** Options of {@link ScannerManager}. */
export interface ScannerManagerOptions {
  roots: readonly string[];
  configDir?: string;
  allowAbsoluteModules?: boolean;
  /** Folders scanner files may lie in (default: `<root>/strategies` of each root). */
  strategyRoots?: readonly string[];
  /** Packages scanners may come from (default: `@strat/examples`). */
  allowedPackages?: readonly string[];
  logLevel?: LogLevel;
  /** Where scanner log records go. */
  logSink?: LogSink;
}

interface LoadedScanner {
  scanner: BaseScanner<object>;
  everyMs: number;
  nextScan: number;
}

/**
 * Loads the config's scanners (on the session's thread) and runs each on its schedule in
 * simulated time: every `schedule` interval from the first session's open.
 */
export class ScannerManager {
  readonly #o: ScannerManagerOptions;
  readonly #scanners: LoadedScanner[] = [];

  constructor(options: ScannerManagerOptions) {
    this.#o = options;
  }

  /** The loaded scanners. */
  get scanners(): readonly BaseScanner<object>[] {
    return this.#scanners.map((s) => s.scanner);
  }

  /**
   * Loads and sets up every enabled scanner.
   * @throws StrategyLoadError; ConfigError when a config does not match its scanner's `configSchema`
   */
  async initialize(entries: readonly ScannerEntry[], ctx: StrategyContext, startTime: number): Promise<void> {
    for (const [i, entry] of entries.entries()) {
      if (entry.enabled === false) continue;
      const path = `session_data_config.scanners[${i}].module`;
      const resolved = resolveStrategyModule(entry.module, {
        roots: this.#o.roots,
        fromDir: this.#o.configDir,
        allowAbsolute: this.#o.allowAbsoluteModules ?? false,
        strategyRoots: this.#o.strategyRoots,
        allowedPackages: this.#o.allowedPackages,
      });
      const exports = await importStrategyModule(strategyModuleUrl(resolved), entry.module);
      const name = entry.name ?? moduleBaseName(entry.module);
      const logger = createLogger(name, this.#o.logLevel ?? 'info', this.#o.logSink);
      const { scannerClass } = findScannerClass(exports, entry.module, (m) => logger.warn(m));
      let scanner: BaseScanner<object>;
      try {
        scanner = new scannerClass(name, entry.config ?? {}, entry.schedule);
      } catch (error) {
        if (ConfigError.isInstance(error)) {
          throw configErrorUnder(error, `session_data_config.scanners[${i}].config`);
        }
        throw new StrategyLoadError(entry.module, `its constructor threw: ${String(error)} (${path})`, {
          cause: error,
        });
      }
      scanner.logger = logger;
      const ok = await scanner.setup({ ...ctx, logger });
      if (ok === false) throw new StrategyLoadError(entry.module, `setup returned false (${path})`);
      const everyMs = intervalToMs(scanner.schedule);
      this.#scanners.push({ scanner, everyMs, nextScan: startTime + everyMs });
    }
  }

  /** Symbols every scanner watches (streamed so `scan` can read them). */
  universe(): string[] {
    const out = new Set<string>();
    for (const s of this.#scanners) for (const sym of s.scanner.getUniverse()) out.add(sym);
    return [...out];
  }

  /** True when some scanner is due at `time`. Cheap: called at every time step. */
  isDue(time: number): boolean {
    for (const s of this.#scanners) if (time >= s.nextScan) return true;
    return false;
  }

  /**
   * Runs the scanners due at `time` and returns the symbols they found, in scanner order, without
   * duplicates. A throwing scanner is logged and skipped this time.
   */
  async runDue(time: number, ctx: StrategyContext): Promise<string[]> {
    const found: string[] = [];
    for (const s of this.#scanners) {
      if (time < s.nextScan) continue;
      while (s.nextScan <= time) s.nextScan += s.everyMs;
      try {
        const symbols = await s.scanner.scan({ ...ctx, logger: s.scanner.logger });
        for (const sym of symbols) if (typeof sym === 'string' && !found.includes(sym)) found.push(sym);
      } catch (error) {
        s.scanner.logger.error(`scan failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return found;
  }

  /** Tears every scanner down (errors are logged). */
  async shutdown(ctx: StrategyContext): Promise<void> {
    for (const s of this.#scanners) {
      try {
        await s.scanner.teardown(ctx);
      } catch (error) {
        s.scanner.logger.error(`teardown failed: ${String(error)}`);
      }
    }
  }
}
