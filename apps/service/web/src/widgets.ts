import { ApiError, type Issue } from './api';
import { h } from './dom';

/** A state as a badge (its class gives the colour; the word is always there). */
export function stateBadge(state: string): HTMLElement {
  return h('span', { class: `badge state-${state}`, 'data-state': state, text: state });
}

/** A progress bar with its percentage in text. */
export function progressBar(done: number, total: number, label: string): HTMLElement {
  const percent = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  return h(
    'span',
    { class: 'progress' },
    h('progress', { max: 100, value: percent.toFixed(1), 'aria-label': label }),
    h('span', { class: 'percent', 'data-percent': percent.toFixed(1), text: `${percent.toFixed(0)} %` }),
  );
}

/** An error with the problems the service found at their JSON paths. */
export function issuesBox(error: unknown): HTMLElement {
  const box = h('div', { class: 'error-box', role: 'alert' });
  if (error instanceof ApiError) {
    box.append(
      h('p', {
        text: error.issues.length > 0 ? `${error.code}: ${error.message.split('\n')[0]}` : error.message,
      }),
    );
    if (error.issues.length > 0) {
      box.append(
        h(
          'ul',
          { class: 'issues' },
          ...error.issues.map((issue: Issue) =>
            h('li', {}, h('code', { class: 'path', text: issue.path || '(root)' }), ' ', issue.message),
          ),
        ),
      );
    }
  } else {
    box.append(h('p', { text: error instanceof Error ? error.message : String(error) }));
  }
  return box;
}

/** A message slot of fixed height that shows errors (so nothing below moves when one appears). */
export function messageSlot(): HTMLElement {
  return h('div', { class: 'message-slot', 'aria-live': 'polite' });
}
