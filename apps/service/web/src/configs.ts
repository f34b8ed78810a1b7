import { api } from './api';
import { h } from './dom';

/** A config of session_configs/ as `GET /configs` lists it. */
export interface NamedConfig {
  name: string;
  /** False when it does not validate (its `error` says why). */
  valid: boolean;
  mode?: string;
  error?: string | null;
}

/** The named configs of session_configs/ (GET /configs). */
export async function namedConfigs(): Promise<NamedConfig[]> {
  const answer = await api<{ configs?: unknown[] }>('/configs');
  return (answer.configs ?? [])
    .map((entry) => (typeof entry === 'string' ? { name: entry, valid: true } : (entry as NamedConfig)))
    .filter((c) => typeof c.name === 'string' && c.name !== '')
    .map((c) => ({ ...c, name: c.name.replace(/\.json$/, ''), valid: c.valid !== false }));
}

/** Options of a select of named configs: an invalid one is listed, disabled, with its error as title. */
export function configOptions(configs: readonly NamedConfig[]): HTMLOptionElement[] {
  return configs.map((c) =>
    h('option', {
      value: c.name,
      disabled: !c.valid,
      title: c.error ?? null,
      text: `${c.name}${c.mode ? ` (${c.mode})` : ''}${c.valid ? '' : ': invalid'}`,
    }),
  );
}
