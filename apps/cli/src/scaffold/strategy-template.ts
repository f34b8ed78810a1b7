// The template and its test as text: the build inlines both files (see tsup.config.ts), so a
// scaffold is the repository's template, wherever the built CLI is installed.
import templateTestSource from '../../../../strategies/production/template_strategy.test.ts?raw';
import templateSource from '../../../../strategies/production/template_strategy.ts?raw';

/** What a scaffolded strategy is called: its module name and the class the loader will look for. */
export interface StrategyNames {
  /** snake_case module name, the file's base name: `mean_reversion`. */
  module: string;
  /** The exported class: `MeanReversionStrategy`. */
  className: string;
}

/** The template's names: its module, its class and its config type. */
const TEMPLATE_NAME = /\btemplate_strategy\b|\bTemplateStrategy\b|\bTemplateConfig\b/g;

/** `text` with the template's names replaced by those of `names`, in one pass (a new name is never renamed again). */
function renameTemplate(text: string, { module, className }: StrategyNames): string {
  const renames: Record<string, string> = {
    template_strategy: module,
    TemplateStrategy: className,
    TemplateConfig: `${className.replace(/Strategy$/, '')}Config`,
  };
  return text.replace(TEMPLATE_NAME, (name) => renames[name] ?? name);
}

/** The strategy file: `strategies/production/template_strategy.ts` renamed, a working channel breakout to change. */
export function strategySource(names: StrategyNames): string {
  return renameTemplate(templateSource, names);
}

/** The test beside the strategy: `template_strategy.test.ts` renamed. */
export function strategyTestSource(names: StrategyNames): string {
  return renameTemplate(templateTestSource, names);
}

/** A session config that runs the strategy on generated bars (laid out as the formatter would). */
export function sessionConfigSource({ module }: StrategyNames, schemaPath: string | undefined): string {
  const schema = schemaPath === undefined ? '' : `\n  "$schema": ${JSON.stringify(schemaPath)},`;
  return `{${schema}
  "mode": "backtest",
  "backtest_config": { "start_date": "2024-01-02", "end_date": "2024-01-12", "speed_multiplier": 0 },
  "session_data_config": {
    "symbols": ["AAPL", "MSFT"],
    "streams": ["1m", "5m"],
    "strategies": [
      {
        "module": "strategies.production.${module}",
        "config": { "symbols": ["AAPL", "MSFT"], "interval": "5m", "lookback": 20 }
      }
    ]
  },
  "data_config": { "source": "generator", "seed": 42 }
}
`;
}
