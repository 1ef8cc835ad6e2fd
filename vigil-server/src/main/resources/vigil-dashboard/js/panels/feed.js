// A list of recent records from one API route: recent errors, audit events (newest first).
import { get } from '../api.js';
import { t, dateTime, onChange } from '../i18n.js';
import { h, ltr } from '../dom.js';

/** The first array in an answer ({records: [...]}, {events: [...]} …), or the answer itself when it is one. */
function items(body) {
  if (Array.isArray(body)) return body;
  for (const k of ['entries', 'records', 'events', 'logs', 'items']) if (Array.isArray(body?.[k])) return body[k];
  return Object.values(body || {}).find(Array.isArray) || [];
}

/** Parts joined by a separator, skipping empty ones (parts are strings or nodes). */
function joined(parts, sep) {
  return parts.filter((p) => p !== null && p !== undefined && p !== '')
    .flatMap((p, i) => (i ? [sep, p] : [p]));
}

export class Feed {
  /**
   * @param path the route to read
   * @param line turns one record into [main parts, detail parts] (strings or nodes)
   * @param emptyKey the message shown when there is nothing
   */
  constructor(panel, path, line, emptyKey) {
    Object.assign(this, { panel, path, line, emptyKey });
    this.rows = null;
    onChange(() => this.draw());
  }

  async refresh() {
    try {
      this.rows = items(await get(this.path));
      this.draw();
    } catch (e) {
      this.panel.failed(e);
    }
  }

  draw() {
    if (!this.rows) return;
    const rows = this.rows.slice(0, 20);
    this.panel.show(rows.length
      ? h('ul', { class: 'lines' }, rows.map((r) => {
        const [main, detail] = this.line(r);
        return h('li', { 'data-seq': r.seq }, joined(main, ' '),
          h('span', { class: 'when' }, joined([dateTime(r.timestamp || r.time), ...detail], ' · ')));
      }))
      : h('p', { class: 'notice' }, t(this.emptyKey)));
  }
}

export const errorLine = (r) => [[h('bdi', {}, r.message || JSON.stringify(r))],
  [r.level, r.logger ? ltr(r.logger) : null]];

const OUTCOMES = ['success', 'failure', 'denied'];
/** An audit outcome in the page's language (an unknown one as it is). */
function outcome(word) {
  if (!word) return null;
  return OUTCOMES.includes(word) ? h('span', { class: 'outcome ' + word }, t('audit.outcome.' + word)) : ltr(word);
}

export const auditLine = (r) => [[r.action ? ltr(r.action) : null, r.resource ? ltr(r.resource) : null],
  [r.user_id || r.token ? ltr(r.user_id || r.token) : null, outcome(r.outcome || r.details?.outcome),
    r.ip_address ? ltr(r.ip_address) : null]];
