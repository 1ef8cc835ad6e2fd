// Optimizer: level, on/off and next run; changes under observation; recent actions with their decision and
// before/after figures; a rollback button for admins.
import { get, post } from '../api.js';
import { t, num, dateTime, onChange } from '../i18n.js';
import { h, figures, ltr, scroller } from '../dom.js';

const APPLIED = ['OBSERVING', 'KEPT'];

export class Optimizer {
  constructor(panel, canRollback) {
    this.panel = panel;
    this.canRollback = canRollback;
    this.data = null;
    this.message = null;
    this.busy = false;
    onChange(() => this.draw());
  }

  async refresh() {
    try {
      const [status, actions] = await Promise.all([get('/api/optimizer/status'), get('/api/optimizer/actions?limit=10')]);
      this.data = { status, actions: actions.actions || [] };
      this.draw();
    } catch (e) {
      this.panel.failed(e);
    }
  }

  async rollback(id) {
    this.busy = true;
    this.draw();
    try {
      await post('/api/optimizer/actions/' + encodeURIComponent(id) + '/rollback', {});
      this.message = { key: 'optimizer.rollback.done', params: { id } };
    } catch (e) {
      this.message = { key: 'optimizer.rollback.failed', params: { message: e.message }, bad: true };
    }
    this.busy = false;
    await this.refresh();
  }

  button(a) {
    if (!this.canRollback || !APPLIED.includes(a.status)) return null;
    return h('button', { type: 'button', class: 'quiet', disabled: this.busy, 'data-rollback': a.id,
      onclick: () => this.rollback(a.id) }, t('optimizer.rollback'));
  }

  table(caption, heads, rows) {
    const cols = heads.concat(this.canRollback ? [''] : []);
    return scroller(caption, h('table', {},
      h('caption', { class: 'notice' }, t(caption)),
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, k ? t(k) : '')))),
      h('tbody', {}, rows)));
  }

  draw() {
    const d = this.data;
    if (!d) return;
    const s = d.status;
    const observing = s.observing || [];
    this.panel.show(
      figures([
        ['optimizer.level', t('optimizer.level.' + s.level), { 'data-figure': 'level' }],
        ['optimizer.enabled', t(s.enabled ? 'optimizer.on' : 'optimizer.off'), { 'data-figure': 'enabled' }],
        ['optimizer.nextRun', s.enabled ? dateTime(s.next_run, true) : '–'],
        ['optimizer.observing', num(observing.length, 0), { 'data-figure': 'observing' }],
      ]),
      this.message ? h('p', { role: 'status', class: this.message.bad ? 'notice bad' : 'notice', id: 'optimizer-message' },
        t(this.message.key, this.message.params)) : null,
      observing.length === 0 ? h('p', { class: 'notice' }, t('optimizer.noneObserving'))
        : this.table('optimizer.observing', ['optimizer.target', 'optimizer.when', 'optimizer.until'],
          observing.map((a) => h('tr', { 'data-action': a.id },
            h('th', { scope: 'row', dir: 'auto' }, a.proposal.target),
            h('td', {}, dateTime(a.applied_at, true)), h('td', {}, dateTime(a.observe_until, true)),
            this.canRollback ? h('td', {}, this.button(a)) : null))),
      d.actions.length === 0 ? h('p', { class: 'notice' }, t('optimizer.none'))
        : this.table('optimizer.recent', ['optimizer.target', 'optimizer.status', 'optimizer.beforeAfter', 'optimizer.reason'],
          d.actions.map((a) => h('tr', { 'data-action': a.id, 'data-status': a.status },
            h('th', { scope: 'row', dir: 'auto' }, a.proposal.target, ' ', ltr('(' + a.id + ')')),
            h('td', {}, h('span', { class: a.status === 'KEPT' ? 'badge ok' : a.status.startsWith('ROLLED') || a.status === 'FAILED'
              ? 'badge bad' : 'badge' }, t('optimizer.status.' + a.status))),
            h('td', { class: 'num' }, a.before === null || a.before === undefined ? '–'
              : ltr(num(a.before, 2) + ' → ' + num(a.after, 2))),
            h('td', { dir: 'auto' }, a.decision || a.proposal.reason),
            this.canRollback ? h('td', {}, this.button(a)) : null))),
    );
  }
}
