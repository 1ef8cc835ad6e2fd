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
    this.body.replaceChildren(h('p', { class: state === 'error' ? 'notice bad' : 'notice' }, localized(key, params)));
    this.el.dataset.state = state;
  }

  /** Shows what an API failure means for this panel. */
  failed(err) {
    if (isNotEnabled(err)) this.notice('disabled', 'common.notEnabled');
    else if (err?.status === 403) this.notice('forbidden', 'common.forbidden');
    else this.notice('error', 'common.failed', { message: err?.message || String(err) });
  }
}

/**
 * Text in the page's language that follows a language switch: the element carries its message key and
 * parameters (data-i18n, data-i18n-params), which i18n.translate() fills again.
 */
export function localized(key, params) {
  const attrs = { 'data-i18n': key };
  if (params && Object.keys(params).length) attrs['data-i18n-params'] = JSON.stringify(params);
  return h('span', attrs, t(key, params));
}

/**
 * An identifier, file name, number or other left-to-right token, isolated so Arabic text around it
 * does not reorder its punctuation.
 */
export function ltr(text) {
  return h('bdi', { dir: 'ltr' }, text);
}

/**
 * A horizontally scrolling box around a table: focusable (keyboard users can scroll it) and labelled
 * as a region with the table's caption.
 */
export function scroller(labelKey, table, extraClass) {
  return h('div', {
    class: 'table-wrap' + (extraClass ? ' ' + extraClass : ''), tabindex: 0, role: 'region',
    'aria-label': t(labelKey), 'data-i18n-attr': 'aria-label:' + labelKey,
  }, table);
}

/** A definition list of figures: [[labelKey, value], ...]. */
export function figures(pairs) {
  return h('dl', { class: 'figures' }, pairs.map(([key, value, attrs]) =>
    h('div', attrs || {}, h('dt', {}, t(key)), h('dd', {}, value))));
}
