/** What an element may hold: nodes and text; nothing for null, undefined and false. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes by name; `on<event>` names take a listener; true is a bare attribute, false or null none. */
export type Attrs = Readonly<
  Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>
>;

/** Makes an element: `h('a', { href: '#/jobs', class: 'button' }, 'Jobs')`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

/** Appends children to an element, skipping empty ones. */
export function append(el: Element, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

/** A `<select>` of options `[value, text]`, the given one selected. */
export function select(
  attrs: Attrs,
  options: readonly (readonly [string, string])[],
  selected = '',
): HTMLSelectElement {
  const el = h('select', attrs);
  for (const [value, text] of options) el.append(h('option', { value, selected: value === selected }, text));
  return el;
}

/** A table with a header row and body rows; answers the table and its body (to refill). */
export function table(
  headers: readonly Child[],
  rows: readonly (readonly Child[])[] = [],
  attrs: Attrs = {},
): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const body = h('tbody', {}, ...rows.map((cells) => row(cells)));
  const el = h('table', attrs, h('thead', {}, h('tr', {}, ...headers.map((c) => h('th', {}, c)))), body);
  return { table: el, body };
}

/** A table row of cells. */
export function row(cells: readonly Child[], attrs: Attrs = {}): HTMLTableRowElement {
  return h('tr', attrs, ...cells.map((c) => h('td', {}, c)));
}

/** A section with a heading ('' for none). */
export function section(title: Child, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, title === '' ? null : h('h2', {}, title), ...children);
}
