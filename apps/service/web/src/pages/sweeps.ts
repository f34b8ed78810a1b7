import { api, describeError } from '../api';
import { configOptions, namedConfigs } from '../configs';
import { empty, errorBox, h, replace } from '../dom';
import { camelCase, formatInteger, formatNumber, formatTime } from '../format';
import type { SweepView } from '../types';
import { issuesBox, progressBar, stateBadge } from '../widgets';

const POLL_MS = 2000;

/** Parameter lines as POST /sweeps takes them: one `STRATEGY.KEY=VALUES` a line. */
export function parseParams(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The sweeps list and a form to start one. */
export function renderSweeps(view: HTMLElement): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const message = h('div', { class: 'message-slot', 'aria-live': 'polite' });
  const configSelect = h('select', { id: 'sweep-config', name: 'config' });
  const params = h('textarea', {
    id: 'sweep-params',
    rows: 3,
    spellcheck: 'false',
    placeholder: 'simple_ma_cross.fast_period=5,10',
  });
  params.value = 'simple_ma_cross.fast_period=5,8\nrsi_strategy.rsi_period=9,21';
  const objective = h('input', { id: 'sweep-objective', value: 'sharpe', size: 16 });
  const minimize = h('input', { id: 'sweep-minimize', type: 'checkbox' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'start-sweep', text: 'Start sweep' });
  const form = h(
    'form',
    { class: 'stack', 'aria-label': 'Start a parameter sweep' },
    h('label', {
      for: 'sweep-config',
      text: 'Config in session_configs/ (a backtest at speed 0 with execution)',
    }),
    configSelect,
    h('label', {
      for: 'sweep-params',
      text: 'Parameters, one a line: STRATEGY.KEY=VALUES (a list 5,10 or a range FROM:TO:STEP)',
    }),
    params,
    h(
      'div',
      { class: 'inline-form' },
      h('label', { for: 'sweep-objective', text: 'Objective' }),
      objective,
      h('label', {}, minimize, ' minimize'),
    ),
    h('div', {}, submit),
  );
  const list = h('div', { class: 'scroll', id: 'sweeps-list' }, h('p', { class: 'empty', text: 'Loading…' }));
  replace(
    view,
    h('h1', { text: 'Parameter sweeps' }),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'sweep-start-title' },
      h('h2', { id: 'sweep-start-title', text: 'Start a sweep' }),
      form,
      message,
    ),
    h(
      'section',
      { 'aria-labelledby': 'sweeps-title' },
      h('h2', { id: 'sweeps-title', text: 'All sweeps' }),
      list,
    ),
  );

  namedConfigs()
    .then((configs) => {
      const names = configs.map((c) => c.name);
      if (stopped) return;
      configSelect.append(...configOptions(configs));
      if (names.includes('demo')) configSelect.value = 'demo';
    })
    .catch((error) => {
      if (stopped) return;
      configSelect.append(h('option', { value: 'demo', text: 'demo' }));
      message.replaceChildren(errorBox(`Could not list the named configs: ${describeError(error)}`));
    });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    message.replaceChildren();
    const body = {
      name: configSelect.value,
      params: parseParams(params.value),
      objective: objective.value.trim() || 'sharpe',
      minimize: minimize.checked,
    };
    api<{ id: string }>('/sweeps', { method: 'POST', body })
      .then((created) => {
        location.hash = `#/sweeps/${created.id}`;
      })
      .catch((error) => message.replaceChildren(issuesBox(error)))
      .finally(() => {
        submit.disabled = false;
      });
  });

  const refresh = async () => {
    try {
      const answer = await api<{ sweeps: SweepView[] }>('/sweeps?limit=100');
      if (stopped) return;
      if (answer.sweeps.length === 0) {
        list.replaceChildren(empty('No sweeps yet: start one above.'));
      } else {
        const headers = ['Sweep', 'State', 'Progress', 'Objective', 'Best', 'Created (UTC)'];
        list.replaceChildren(
          h(
            'table',
            { class: 'sweeps' },
            h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', { scope: 'col', text })))),
            h(
              'tbody',
              {},
              ...answer.sweeps.map((s) => {
                const objectiveName = s.spec?.objective ?? 'sharpe';
                const best = s.best?.stats?.[camelCase(objectiveName)];
                return h(
                  'tr',
                  { 'data-id': s.id },
                  h(
                    'td',
                    {},
                    h('a', { href: `#/sweeps/${s.id}`, text: s.name ?? 'posted config' }),
                    h('div', { class: 'muted mono', text: s.id.slice(0, 8) }),
                  ),
                  h('td', {}, stateBadge(s.state)),
                  h(
                    'td',
                    {},
                    progressBar(s.progress.done, s.progress.total, `Progress of sweep ${s.id.slice(0, 8)}`),
                    ` ${formatInteger(s.progress.done)}/${formatInteger(s.progress.total)}`,
                  ),
                  h('td', { text: objectiveName }),
                  h('td', { class: 'num', text: formatNumber(best) }),
                  h('td', { class: 'muted', text: formatTime(Date.parse(s.createdAt)) }),
                );
              }),
            ),
          ),
        );
      }
    } catch (error) {
      if (!stopped) list.replaceChildren(errorBox(describeError(error)));
    }
    if (!stopped) timer = setTimeout(refresh, POLL_MS);
  };
  void refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
