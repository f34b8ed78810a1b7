import './style.css';
import { renderSession } from './pages/session';
import { renderSessions } from './pages/sessions';
import { renderSweep } from './pages/sweep';
import { renderSweeps } from './pages/sweeps';

/** A page draws into `view` and returns what stops it (streams, timers, charts). */
export type Page = (view: HTMLElement, param: string) => () => void;

const ROUTES: [RegExp, Page, string][] = [
  [/^#?\/?$/, renderSessions, 'sessions'],
  [/^#\/sessions\/?$/, renderSessions, 'sessions'],
  [/^#\/sessions\/([\w-]+)$/, renderSession, 'sessions'],
  [/^#\/sweeps\/?$/, renderSweeps, 'sweeps'],
  [/^#\/sweeps\/([\w-]+)$/, renderSweep, 'sweeps'],
];

const view = document.getElementById('view') as HTMLElement;
let stop: (() => void) | undefined;

function route(): void {
  stop?.();
  stop = undefined;
  view.replaceChildren();
  const hash = location.hash;
  for (const [pattern, page, nav] of ROUTES) {
    const match = pattern.exec(hash);
    if (match === null) continue;
    for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
      if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    stop = page(view, decodeURIComponent(match[1] ?? ''));
    return;
  }
  const missing = document.createElement('p');
  missing.className = 'empty';
  missing.textContent = `No page at ${hash}.`;
  view.append(missing);
}

window.addEventListener('hashchange', () => {
  route();
  view.focus();
});
// Charts take their colours when drawn: draw again when the system switches between light and dark.
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', route);
route();
