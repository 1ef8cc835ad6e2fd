// Small DOM helpers: elements are built with textContent only (no HTML strings), so API data cannot inject markup.
import { t } from './i18n.js';
import { isNotEnabled } from './api.js';

/** Creates an element: h('td', {class: 'num'}, 'text', childNode). Attributes starting with "on" are listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** One dashboard panel: its section element and body, and the state it shows (data-state). */
export class Panel {
  constructor(id) {
    this.el = document.getElementById(id);
    this.body = this.el.querySelector('.body');
  }

  /** Replaces the body and marks the panel ready. */
  show(...nodes) {
    this.body.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));
    this.el.dataset.state = 'ready';
  }

  /** Shows a localized notice: "disabled" (feature off), "forbidden" (role too low), "empty" or "error". */
  notice(state, key, params) {
    this.body.replaceChildren(h('p', { class: state === 'error' ? 'notice bad' : 'notice' }, t(key, params)));
    this.el.dataset.state = state;
  }

  /** Shows what an API failure means for this panel. */
  failed(err) {
    if (isNotEnabled(err)) this.notice('disabled', 'common.notEnabled');
    else if (err?.status === 403) this.notice('forbidden', 'common.forbidden');
    else this.notice('error', 'common.failed', { message: err?.message || String(err) });
  }
}

/** A definition list of figures: [[labelKey, value], ...]. */
export function figures(pairs) {
  return h('dl', { class: 'figures' }, pairs.map(([key, value, attrs]) =>
    h('div', attrs || {}, h('dt', {}, t(key)), h('dd', {}, value))));
}
