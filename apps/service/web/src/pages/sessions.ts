import { ApiError, api, describeError } from '../api';
import { configOptions, namedConfigs } from '../configs';
import { empty, errorBox, h, replace } from '../dom';
import { formatInteger, formatPercent, formatTime } from '../format';
import { checkSchema } from '../json-schema';
import { isActive, type Results, SESSION_STATES, type SessionDetail, type SessionView } from '../types';
import { issuesBox, progressBar, stateBadge } from '../widgets';

const POLL_MS = 1500;

/** The sessions list: start one (named or pasted config), filter by state, stop a running one. */
export function renderSessions(view: HTMLElement): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const previous = new Map<string, { barsDone: number; at: number; rate: number | undefined }>();
  const returns = new Map<string, number | null>();

  const startMessage = h('div', { class: 'message-slot', 'aria-live': 'polite' });
  const configSelect = h('select', { id: 'config-name', name: 'config' });
  const startNamed = h('button', { type: 'submit', class: 'primary', id: 'start-named', text: 'Start' });
  const namedForm = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Start a session from a named config' },
    h('label', { for: 'config-name', text: 'Config in session_configs/' }),
    configSelect,
    startNamed,
  );
  const pasted = h('textarea', {
    id: 'config-json',
    rows: 10,
    spellcheck: 'false',
    placeholder: '{ "mode": "backtest", ... }',
  });
  const pastedForm = h(
    'form',
    { class: 'stack', 'aria-label': 'Start a session from a pasted config' },
    h('label', { for: 'config-json', text: 'Session config (JSON)' }),
    pasted,
    h('div', {}, h('button', { type: 'submit', id: 'start-pasted', text: 'Validate and start' })),
  );
  const filter = h(
    'select',
    { id: 'state-filter', 'aria-label': 'Filter by state' },
    h('option', { value: '', text: 'every state' }),
    ...SESSION_STATES.map((state) => h('option', { value: state, text: state })),
  );
  const list = h(
    'div',
    { class: 'scroll', id: 'sessions-list' },
    h('p', { class: 'empty', text: 'Loading…' }),
  );

  replace(
    view,
    h('h1', { text: 'Sessions' }),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'start-title' },
      h('h2', { id: 'start-title', text: 'Start a session' }),
      namedForm,
      h('details', {}, h('summary', { text: 'Or paste a config' }), pastedForm),
      startMessage,
    ),
    h(
      'section',
      { 'aria-labelledby': 'list-title' },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { id: 'list-title', text: 'All sessions' }),
        h('label', { class: 'filter' }, 'State ', filter),
      ),
      list,
    ),
  );

  const start = async (body: unknown, button: HTMLButtonElement) => {
    button.disabled = true;
    startMessage.replaceChildren();
    try {
      const created = await api<{ id: string }>('/sessions', { method: 'POST', body });
      location.hash = `#/sessions/${created.id}`;
    } catch (error) {
      startMessage.replaceChildren(issuesBox(error));
    } finally {
      button.disabled = false;
    }
  };

  /** The published JSON Schema of session configs, fetched once. */
  let schema: Promise<Record<string, unknown> | undefined> | undefined;
  const checkThenStart = async (config: unknown, button: HTMLButtonElement) => {
    schema ??= api<Record<string, unknown>>('/schema/session-config.json').catch(() => undefined);
    const published = await schema;
    const issues = published === undefined ? [] : checkSchema(published, config);
    if (issues.length > 0) {
      startMessage.replaceChildren(
        issuesBox(
          new ApiError('the config does not match the published JSON Schema', 400, 'CONFIG_INVALID', issues),
        ),
      );
      return;
    }
    // The service checks it again, fully (modules and files too).
    await start({ config }, button);
  };

  namedForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (configSelect.value === '') return;
    void start({ name: configSelect.value }, startNamed);
  });
  pastedForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = pastedForm.querySelector('button')!;
    let config: unknown;
    try {
      config = JSON.parse(pasted.value);
    } catch (error) {
      startMessage.replaceChildren(errorBox(`Not JSON: ${(error as Error).message}`));
      return;
    }
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      startMessage.replaceChildren(errorBox('A session config is a JSON object: { "mode": ..., ... }'));
      return;
    }
    void checkThenStart(config, button);
  });

  namedConfigs()
    .then((configs) => {
      const names = configs.map((c) => c.name);
      if (stopped) return;
      if (names.length === 0) {
        configSelect.append(h('option', { value: '', text: 'no configs in session_configs/' }));
        startNamed.disabled = true;
        return;
      }
      configSelect.append(...configOptions(configs));
      if (names.includes('demo')) configSelect.value = 'demo';
    })
    .catch((error) => {
      if (stopped) return;
      configSelect.append(h('option', { value: 'demo', text: 'demo' }));
      startMessage.replaceChildren(errorBox(`Could not list the named configs: ${describeError(error)}`));
    });

  const stopSession = async (id: string, button: HTMLButtonElement) => {
    button.disabled = true;
    button.textContent = 'Stopping…';
    try {
      await api(`/sessions/${id}/stop`, { method: 'POST' });
    } catch (error) {
      startMessage.replaceChildren(errorBox(`Could not stop ${id}: ${describeError(error)}`));
    }
    void refresh();
  };

  const rate = (s: SessionView): number | undefined => {
    if (s.progress === null) return undefined;
    if (!isActive(s.state)) {
      const seconds = ((s.endedAt ? Date.parse(s.endedAt) : Date.now()) - Date.parse(s.createdAt)) / 1000;
      return seconds > 0 ? s.progress.barsDone / seconds : undefined;
    }
    const now = performance.now();
    const before = previous.get(s.id);
    let value = before?.rate;
    if (before !== undefined && now > before.at && s.progress.barsDone !== before.barsDone) {
      value = ((s.progress.barsDone - before.barsDone) * 1000) / (now - before.at);
    }
    if (before === undefined || s.progress.barsDone !== before.barsDone)
      previous.set(s.id, { barsDone: s.progress.barsDone, at: now, rate: value });
    return value;
  };

  const loadReturn = (s: SessionView) => {
    if (returns.has(s.id) || (s.state !== 'completed' && s.state !== 'stopped')) return;
    returns.set(s.id, null);
    // Only a config with an execution section has results (asking others would be a 404).
    api<SessionDetail>(`/sessions/${s.id}`)
      .then((detail) => {
        const entries = detail.config?.session_data_config?.strategies ?? [];
        const trades = detail.config?.execution !== undefined || entries.some((e) => 'execution' in e);
        return trades ? api<Results>(`/sessions/${s.id}/results`) : undefined;
      })
      .then((results) => {
        if (results === undefined) return;
        returns.set(s.id, results.total.totalReturn ?? null);
        const cell = list.querySelector(`[data-return="${s.id}"]`);
        if (cell) cell.textContent = formatPercent(results.total.totalReturn);
      })
      .catch(() => {
        // No results: the cell stays "—".
      });
  };

  const render = (sessions: SessionView[]) => {
    if (sessions.length === 0) {
      list.replaceChildren(
        empty(filter.value === '' ? 'No sessions yet: start the demo above.' : `No ${filter.value} session.`),
      );
      return;
    }
    const rows = sessions.map((s) => {
      loadReturn(s);
      const barsPerSecond = rate(s);
      const name = s.name ?? 'posted config';
      const stop =
        isActive(s.state) && s.state !== 'stopping'
          ? h('button', {
              type: 'button',
              class: 'small',
              'aria-label': `Stop ${name} ${s.id.slice(0, 8)}`,
              text: 'Stop',
              onclick: (event: Event) => void stopSession(s.id, event.currentTarget as HTMLButtonElement),
            })
          : null;
      return h(
        'tr',
        { 'data-id': s.id, 'data-state': s.state },
        h(
          'td',
          {},
          h('a', { href: `#/sessions/${s.id}`, text: name }),
          h('div', { class: 'muted mono', text: s.id.slice(0, 8) }),
        ),
        h('td', {}, stateBadge(s.state)),
        h('td', { text: s.mode }),
        h(
          'td',
          {},
          s.progress ? progressBar(s.progress.barsDone, s.progress.barsTotal, `Progress of ${name}`) : '—',
        ),
        h('td', { class: 'num', text: barsPerSecond === undefined ? '—' : formatInteger(barsPerSecond) }),
        h('td', { class: 'num', text: formatInteger(s.signals) }),
        h('td', { class: 'num', 'data-return': s.id, text: formatPercent(returns.get(s.id)) }),
        h('td', { class: 'muted', text: formatTime(Date.parse(s.createdAt)) }),
        h('td', {}, stop),
      );
    });
    const headers = [
      'Session',
      'State',
      'Mode',
      'Progress',
      'Bars/s',
      'Signals',
      'Return',
      'Created (UTC)',
      '',
    ];
    list.replaceChildren(
      h(
        'table',
        { class: 'sessions' },
        h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', { scope: 'col', text })))),
        h('tbody', {}, ...rows),
      ),
    );
  };

  const refresh = async () => {
    clearTimeout(timer);
    try {
      const query = filter.value === '' ? '' : `&state=${filter.value}`;
      const answer = await api<{ sessions: SessionView[] }>(`/sessions?limit=100${query}`);
      if (stopped) return;
      render(answer.sessions);
    } catch (error) {
      if (stopped) return;
      list.replaceChildren(errorBox(describeError(error)));
    }
    if (!stopped) timer = setTimeout(refresh, POLL_MS);
  };
  filter.addEventListener('change', () => void refresh());
  void refresh();

  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
