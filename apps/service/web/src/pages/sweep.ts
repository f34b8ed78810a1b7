import { ApiError, api, describeError } from '../api';
import { empty, errorBox, h, replace } from '../dom';
import { camelCase, formatInteger, formatNumber, formatStat } from '../format';
import { openEvents } from '../sse';
import type { SweepDetail, SweepRow } from '../types';
import { issuesBox, progressBar, stateBadge } from '../widgets';

const ACTIVE = new Set(['created', 'starting', 'running', 'stopping']);

/** Colour of a value between `min` and `max`: a blue-to-amber scale, readable on light and dark. */
function heatColor(value: number, min: number, max: number): string {
  const t = max > min ? (value - min) / (max - min) : 0.5;
  const hue = 220 - 180 * t;
  return `hsl(${hue.toFixed(0)} 70% ${(35 + 15 * t).toFixed(0)}%)`;
}

/** The config of a combination: the sweep's config with each parameter set in its strategy entry. */
function configOf(sweep: SweepDetail, combination: Record<string, unknown>): unknown {
  const config = structuredClone(sweep.config) as NonNullable<SweepDetail['config']>;
  for (const entry of config?.session_data_config?.strategies ?? []) {
    const name = entry.name ?? entry.module.split(/[./]/).at(-1)!;
    for (const [param, value] of Object.entries(combination)) {
      const dot = param.indexOf('.');
      if (param.slice(0, dot) === name)
        entry.config = { ...(entry.config ?? {}), [param.slice(dot + 1)]: value };
    }
  }
  return config;
}

/** One sweep: progress, ranked rows, a heatmap of the objective over two parameters, the best combination. */
export function renderSweep(view: HTMLElement, id: string): () => void {
  let closed = false;
  let detail: SweepDetail | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let xParam = 0;
  let yParam = 1;

  const title = h('h1', { text: 'Sweep' });
  const head = h('div', { class: 'session-head' });
  const progress = h('div', { id: 'sweep-progress' });
  const message = h('div', { class: 'message-slot', 'aria-live': 'polite' });
  const best = h('div', { id: 'best' });
  const heatmap = h('div', { id: 'heatmap', class: 'heatmap-box' }, empty('No rows yet.'));
  const ranked = h('div', { class: 'scroll', id: 'ranked' }, empty('No rows yet.'));
  replace(
    view,
    h('p', { class: 'crumbs' }, h('a', { href: '#/sweeps', text: '← Sweeps' })),
    title,
    head,
    message,
    progress,
    h(
      'section',
      { 'aria-labelledby': 'best-title' },
      h('h2', { id: 'best-title', text: 'Best combination' }),
      best,
    ),
    h(
      'section',
      { 'aria-labelledby': 'heat-title' },
      h('h2', { id: 'heat-title', text: 'Objective over two parameters' }),
      heatmap,
    ),
    h(
      'section',
      { 'aria-labelledby': 'ranked-title' },
      h('h2', { id: 'ranked-title', text: 'Ranked combinations' }),
      ranked,
    ),
  );

  const objectiveOf = (row: SweepRow): number | null => {
    const value = row.stats?.[camelCase(detail!.spec.objective)];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };

  const runBest = async (row: SweepRow, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const created = await api<{ id: string }>('/sessions', {
        method: 'POST',
        body: { config: configOf(detail!, row.combination) },
      });
      location.hash = `#/sessions/${created.id}`;
    } catch (error) {
      message.replaceChildren(issuesBox(error));
      button.disabled = false;
    }
  };

  const drawHeatmap = (sweep: SweepDetail) => {
    const params = sweep.spec.params.map((p) => `${p.strategy}.${p.key}`);
    const rows = sweep.rows.filter((r) => r.phase === null || r.phase === undefined || r.phase === 'train');
    if (rows.length === 0) {
      heatmap.replaceChildren(empty('No rows yet.'));
      return;
    }
    const pick = (label: string, selected: number, onChange: (i: number) => void) => {
      const select = h(
        'select',
        { 'aria-label': label },
        ...params.map((p, i) => h('option', { value: i, text: p })),
      );
      select.value = String(selected);
      select.addEventListener('change', () => onChange(Number(select.value)));
      return h('label', {}, `${label} `, select);
    };
    const xs = sweep.spec.params[xParam]?.values ?? [null];
    const ys = params.length > 1 ? (sweep.spec.params[yParam]?.values ?? [null]) : [null];
    // Per cell the best objective among the rows with those two values (the other parameters vary).
    const cells = new Map<string, number>();
    for (const row of rows) {
      const value = objectiveOf(row);
      if (value === null) continue;
      const key = JSON.stringify([
        row.combination[params[xParam]!] ?? null,
        params.length > 1 ? (row.combination[params[yParam]!] ?? null) : null,
      ]);
      const old = cells.get(key);
      if (old === undefined || (sweep.spec.minimize ? value < old : value > old)) cells.set(key, value);
    }
    const values = [...cells.values()];
    const min = Math.min(...values);
    const max = Math.max(...values);
    const grid = h(
      'table',
      { class: 'heatmap', id: 'heatmap-table', 'aria-label': `${sweep.spec.objective} by parameter values` },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {
            scope: 'col',
            text: params.length > 1 ? `${params[yParam]} ↓ / ${params[xParam]} →` : params[xParam]!,
          }),
          ...xs.map((x) => h('th', { scope: 'col', text: String(x) })),
        ),
      ),
      h(
        'tbody',
        {},
        ...ys.map((y) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', text: y === null ? sweep.spec.objective : String(y) }),
            ...xs.map((x) => {
              const value = cells.get(JSON.stringify([x, y]));
              const cell = h('td', {
                class: 'cell',
                'data-x': String(x),
                'data-y': String(y),
                'data-value': value === undefined ? '' : String(value),
                title: value === undefined ? 'not run yet' : `${sweep.spec.objective} ${formatNumber(value)}`,
                text: value === undefined ? '·' : formatNumber(value),
              });
              if (value !== undefined) {
                cell.style.backgroundColor = heatColor(value, min, max);
                cell.style.color = '#ffffff';
              }
              return cell;
            }),
          ),
        ),
      ),
    );
    const controls =
      params.length > 2 || params.length === 2
        ? h(
            'div',
            { class: 'inline-form' },
            pick('Columns', xParam, (i) => {
              xParam = i;
              drawHeatmap(sweep);
            }),
            pick('Rows', yParam, (i) => {
              yParam = i;
              drawHeatmap(sweep);
            }),
          )
        : '';
    heatmap.replaceChildren(
      controls,
      h('div', { class: 'scroll' }, grid),
      h('p', {
        class: 'muted',
        text: `Colour: ${sweep.spec.objective} from ${formatNumber(min)} (blue) to ${formatNumber(max)} (amber)${params.length > 2 ? '; each cell the best over the other parameters' : ''}.`,
      }),
    );
  };

  const draw = (sweep: SweepDetail) => {
    detail = sweep;
    title.textContent = `Sweep ${sweep.name ?? ''} `;
    title.append(h('span', { class: 'muted mono', text: id.slice(0, 8) }));
    head.replaceChildren(stateBadge(sweep.state));
    if (ACTIVE.has(sweep.state) && sweep.state !== 'stopping') {
      head.append(
        h('button', {
          type: 'button',
          text: 'Stop',
          onclick: (event: Event) => {
            (event.currentTarget as HTMLButtonElement).disabled = true;
            api(`/sweeps/${id}/stop`, { method: 'POST' }).catch((e) =>
              message.replaceChildren(errorBox(describeError(e))),
            );
          },
        }),
      );
    }
    if (sweep.error) message.replaceChildren(errorBox(`The sweep ${sweep.state}: ${sweep.error}`));
    const p = sweep.progress;
    progress.replaceChildren(
      progressBar(p.done, p.total, 'Sweep progress'),
      ` ${formatInteger(p.done)} of ${formatInteger(p.total)} combinations`,
      p.failed > 0 ? `, ${formatInteger(p.failed)} failed` : '',
      p.etaSeconds !== null && ACTIVE.has(sweep.state) ? `, about ${formatInteger(p.etaSeconds)} s left` : '',
    );
    const params = sweep.spec.params.map((q) => `${q.strategy}.${q.key}`);
    if (sweep.best) {
      const button = h('button', { type: 'button', id: 'run-best', text: 'Run it as a session' });
      button.addEventListener('click', () => void runBest(sweep.best!, button));
      best.replaceChildren(
        h(
          'p',
          {},
          ...params.map((q) =>
            h('span', { class: 'chip', text: `${q} = ${String(sweep.best!.combination[q])}` }),
          ),
          h('strong', { text: ` ${sweep.spec.objective} ${formatNumber(objectiveOf(sweep.best))}` }),
        ),
        h(
          'p',
          {},
          button,
          h('span', {
            class: 'muted',
            text: ' starts a session with these values, to watch its trades and chart',
          }),
        ),
      );
    } else best.replaceChildren(empty('None yet.'));
    drawHeatmap(sweep);
    if (sweep.rows.length === 0) {
      ranked.replaceChildren(empty('No rows yet.'));
      return;
    }
    const headers = [
      'Rank',
      ...params,
      sweep.spec.objective,
      'Return',
      'Max DD',
      'Trades',
      'Signals',
      'Error',
    ];
    ranked.replaceChildren(
      h(
        'table',
        { class: 'ranked', id: 'ranked-table' },
        h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', { scope: 'col', text })))),
        h(
          'tbody',
          {},
          ...sweep.rows.map((row) =>
            h(
              'tr',
              { 'data-rank': row.rank },
              h('td', { class: 'num', text: row.rank }),
              ...params.map((q) => h('td', { class: 'num', text: String(row.combination[q]) })),
              h('td', {
                class: 'num',
                'data-objective': String(objectiveOf(row)),
                text: formatNumber(objectiveOf(row)),
              }),
              h('td', { class: 'num', text: formatStat('totalReturn', row.stats?.totalReturn) }),
              h('td', { class: 'num', text: formatStat('maxDrawdown', row.stats?.maxDrawdown) }),
              h('td', { class: 'num', text: formatNumber(row.stats?.trades) }),
              h('td', { class: 'num', text: formatInteger(row.signals) }),
              h('td', { class: row.error ? 'bad' : '', text: row.error ?? '' }),
            ),
          ),
        ),
      ),
    );
  };

  const load = async () => {
    try {
      const sweep = await api<SweepDetail>(`/sweeps/${id}`);
      if (!closed) draw(sweep);
    } catch (error) {
      if (closed) return;
      const text =
        error instanceof ApiError && error.code === 'SWEEP_NOT_FOUND'
          ? `No sweep ${id}.`
          : describeError(error);
      message.replaceChildren(errorBox(text));
    }
  };
  // Rows come over the event stream; the page reloads the ranked view at most twice a second.
  const reload = () => {
    if (pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      void load();
    }, 500);
  };
  void load();
  const events = openEvents(
    `/sweeps/${id}/events`,
    { row: reload, state: reload, end: reload },
    (problem) => {
      const slot = document.getElementById('status');
      if (slot) slot.textContent = problem ?? '';
    },
  );
  return () => {
    closed = true;
    clearTimeout(pending);
    events.close();
  };
}
