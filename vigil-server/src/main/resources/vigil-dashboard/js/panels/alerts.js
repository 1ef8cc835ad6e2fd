// Alerts: firing, pending and silenced counts, the alert list, and a silence button for operators.
import { get, post } from '../api.js';
import { t, num, dateTime, onChange, current } from '../i18n.js';
import { h, figures } from '../dom.js';

export class Alerts {
  constructor(panel, canSilence) {
    this.panel = panel;
    this.canSilence = canSilence;
    this.data = null;
    this.message = null;
    this.busy = false;
    onChange(() => this.draw());
  }

  async refresh() {
    try {
      this.data = await get('/api/alerts');
      this.draw();
    } catch (e) {
      this.panel.failed(e);
    }
  }

  async silence(name) {
    this.busy = true;
    this.draw();
    try {
      await post('/api/alerts/silences', {
        matchers: ['alertname="' + name.replace(/["\\]/g, '\\$&') + '"'],
        duration: '2h',
        comment: 'silenced from the dashboard',
      });
      this.message = { key: 'alerts.silence.done', params: { name } };
    } catch (e) {
      this.message = { key: 'alerts.silence.failed', params: { message: e.message }, bad: true };
    }
    this.busy = false;
    await this.refresh();
  }

  summary(a) {
    const ar = current() === 'ar' ? a.annotations?.summary_ar : null;
    return ar || a.annotations?.summary || '';
  }

  draw() {
    const d = this.data;
    if (!d) return;
    const alerts = d.alerts || [];
    this.panel.show(
      figures([
        ['alerts.firing', num(d.firing, 0), { 'data-figure': 'firing' }],
        ['alerts.pending', num(d.pending, 0)],
        ['alerts.silenced', num(d.silenced, 0)],
      ]),
      this.message ? h('p', { role: 'status', class: this.message.bad ? 'notice bad' : 'notice', id: 'alerts-message' },
        t(this.message.key, this.message.params)) : null,
      alerts.length === 0 ? h('p', { class: 'notice' }, t('alerts.none')) : h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['alerts.state', 'alerts.name', 'alerts.severity', 'alerts.since', 'alerts.summary']
          .map((k) => h('th', { scope: 'col' }, t(k))).concat(this.canSilence ? [h('th', { scope: 'col' }, '')] : []))),
        h('tbody', {}, alerts.map((v) => {
          const a = v.alert;
          const muted = v.silenced ? t('alerts.muted.silenced') : v.inhibited ? t('alerts.muted.inhibited') : '';
          return h('tr', { 'data-alert': a.labels.alertname },
            h('td', {}, h('span', { class: a.state === 'FIRING' ? 'badge bad' : 'badge' }, t('alerts.state.' + a.state)),
              muted ? h('span', { class: 'notice' }, ' ', muted) : null),
            h('th', { scope: 'row' }, a.labels.alertname),
            h('td', {}, t('health.level.' + (a.labels.severity === 'critical' ? 'critical' : 'warning'))),
            h('td', {}, dateTime(a.active_at, true)),
            h('td', { dir: 'auto' }, this.summary(a)),
            this.canSilence ? h('td', {}, v.silenced ? null : h('button', {
              type: 'button', class: 'quiet', disabled: this.busy, onclick: () => this.silence(a.labels.alertname),
            }, t('alerts.silence'))) : null);
        })))),
    );
  }
}
