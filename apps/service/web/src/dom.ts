/** Children `h` takes: nodes, text, or nothing (skipped). */
export type Child = Node | string | number | null | undefined | false;

type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/**
 * An element: `on*` attributes are listeners, `text` its text, `false`/`null` attributes are left
 * out, every other one is set as an attribute. Never a `style` attribute (the CSP forbids inline
 * styles): set `element.style` properties instead, which it allows.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'text') element.textContent = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

/** Appends the children that are something. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A table of `rows` under `headers`; cells are nodes or text. */
export function table(headers: string[], rows: Child[][], className = ''): HTMLTableElement {
  return h(
    'table',
    { class: className || null },
    h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', { scope: 'col', text })))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell))))),
  );
}

/** An empty state: a short sentence where a table or chart would be. */
export function empty(text: string): HTMLElement {
  return h('p', { class: 'empty', text });
}

/** An error box, announced to screen readers. */
export function errorBox(text: string, extra?: Child): HTMLElement {
  return h('div', { class: 'error-box', role: 'alert' }, h('p', { text }), extra);
}
