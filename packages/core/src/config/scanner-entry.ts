import { z } from 'zod';
import { freeFormConfigSchema, intervalSchema, modulePathSchema } from './config-fields';

/** One entry of `session_data_config.scanners`: a scanner module, its schedule and config. */
export const scannerEntrySchema = z.strictObject({
  module: modulePathSchema,
  enabled: z.boolean().default(true).meta({ description: 'Set to false to keep the entry but not run it.' }),
  name: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Name in logs and events (default: derived from the module).' }),
  schedule: intervalSchema
    .default('5m')
    .meta({ description: 'How often the scanner runs, in session time.' }),
  config: freeFormConfigSchema.default({}).meta({ description: "The scanner's own settings, passed as is." }),
});

/** A parsed scanner entry, defaults applied. */
export type ScannerEntry = z.output<typeof scannerEntrySchema>;
