import { api } from './api';

/** The names of session_configs/ (GET /configs); empty when the service does not list them. */
export async function configNames(): Promise<string[]> {
  const answer = await api<unknown>('/configs');
  const list = Array.isArray(answer)
    ? answer
    : Array.isArray((answer as { configs?: unknown }).configs)
      ? (answer as { configs: unknown[] }).configs
      : [];
  return list
    .map((entry) => (typeof entry === 'string' ? entry : String((entry as { name?: unknown }).name ?? '')))
    .filter((name) => name !== '')
    .map((name) => name.replace(/\.json$/, ''));
}
