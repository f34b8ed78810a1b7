/**
 * Requests to the service, from the same origin. When it answers 401 the token dialog asks for the
 * API token once; the token lives in this module (the tab's memory) only: never in storage or the URL.
 */

/** A problem at a JSON path, as the service reports it. */
export interface Issue {
  path: string;
  message: string;
}

/** An answer other than 2xx, or no answer at all (`status` 0: the service is down). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let token: string | undefined;
let asking: Promise<void> | undefined;

/** Whether a token was given in this tab. */
export function hasToken(): boolean {
  return token !== undefined;
}

/** Shows the token dialog (with `problem` when a token was refused) until one is submitted. */
function askToken(problem: string): Promise<void> {
  asking ??= new Promise<void>((resolve) => {
    const dialog = document.getElementById('token-dialog') as HTMLDialogElement;
    const form = document.getElementById('token-form') as HTMLFormElement;
    const input = document.getElementById('token-input') as HTMLInputElement;
    const error = document.getElementById('token-error') as HTMLElement;
    error.textContent = problem;
    input.value = '';
    const submitted = (event: Event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (value === '') return;
      token = value;
      form.removeEventListener('submit', submitted);
      dialog.close();
      asking = undefined;
      resolve();
    };
    form.addEventListener('submit', submitted);
    // Escape must not leave the page without a way back: the dialog stays until a token is given.
    dialog.addEventListener('cancel', (event) => event.preventDefault(), { once: true });
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
  return asking;
}

/**
 * fetch with the token; a 401 asks for a token (saying the last one was refused, when there was one)
 * and tries again. A request the service never answered throws `ApiError` with status 0.
 */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  for (;;) {
    const headers = new Headers(init.headers);
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    let response: Response;
    try {
      response = await fetch(path, { ...init, headers, cache: 'no-store' });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError('The service does not answer: is it running?', 0, 'SERVICE_DOWN');
    }
    if (response.status !== 401) return response;
    await response.body?.cancel();
    await askToken(
      token === undefined
        ? ''
        : 'The service refused this token (401 UNAUTHORIZED). Check STRAT_API_TOKEN and try again.',
    );
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: { error?: string; code?: string; issues?: Issue[] } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // not JSON
  }
  const message = body.error ?? `${response.status} ${response.statusText}`;
  const issues = body.issues ?? [];
  return new ApiError(message, response.status, body.code ?? String(response.status), issues);
}

/** A JSON request; throws `ApiError` on anything but 2xx. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const request: RequestInit = { method: init.method ?? 'GET' };
  if (init.body !== undefined) {
    request.body = JSON.stringify(init.body);
    request.headers = { 'content-type': 'application/json' };
  }
  const response = await authorizedFetch(path, request);
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

/** The message of any error, for a person. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
