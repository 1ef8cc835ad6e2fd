// A list of recent records from one API route: recent errors, audit events.
import { get } from '../api.js';
import { t, dateTime, onChange } from '../i18n.js';
import { h } from '../dom.js';

/** The first array in an answer ({records: [...]}, {events: [...]} …), or the answer itself when it is one. */
function items(body) {
  if (Array.isArray(body)) return body;
  for (const k of ['entries', 'records', 'events', 'logs', 'items']) if (Array.isArray(body?.[k])) return body[k];
  return Object.values(body || {}).find(Array.isArray) || [];
}

export class Feed {
  /**
   * @param path the route to read
   * @param line turns one record into [main text, detail text]
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
        return h('li', {}, main, h('span', { class: 'when' }, [dateTime(r.timestamp || r.time), detail].filter(Boolean).join(' · ')));
      }))
      : h('p', { class: 'notice' }, t(this.emptyKey)));
  }
}

export const errorLine = (r) => [r.message || JSON.stringify(r), [r.level, r.logger].filter(Boolean).join(' ')];
export const auditLine = (r) => [[r.action, r.resource].filter(Boolean).join(' '),
  [r.user_id || r.token, r.outcome || r.details?.outcome, r.ip_address].filter(Boolean).join(' ')];
