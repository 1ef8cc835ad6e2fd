// Application: the user's app behind Vigil's proxy: upstream up/down, totals and the busiest routes.
import { get } from '../api.js';
import { t, pct, num, onChange } from '../i18n.js';
import { h, figures } from '../dom.js';

export class App {
  constructor(panel) {
    this.panel = panel;
    this.summary = null;
    this.routes = [];
    onChange(() => this.draw());
  }

  async refresh() {
    try {
      const [summary, routes] = await Promise.all([get('/api/app/summary'), get('/api/app/routes')]);
      this.summary = summary;
      this.routes = (routes.routes || []).slice(0, 10);
      this.draw();
    } catch (e) {
      this.panel.failed(e);
    }
  }

  draw() {
    const s = this.summary;
    if (!s) return;
    this.panel.show(
      h('p', { class: 'notice' }, t('application.upstream', { upstream: s.upstream }), ' ',
        h('span', { class: 'badge ' + (s.upstream_up ? 'ok' : 'bad'), 'data-figure': 'upstream' },
          t(s.upstream_up ? 'application.up' : 'application.down'))),
      figures([
        ['application.requests', num(s.requests, 0)],
        ['application.errorRate', pct(s.error_rate * 100)],
        ['application.hitRate', pct(s.cache_hit_rate * 100)],
        ['application.limit', num(s.concurrency_limit, 0)],
      ]),
      this.routes.length ? h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', { class: 'notice' }, t('application.routes')),
        h('thead', {}, h('tr', {}, ['application.route', 'application.count', 'application.errorRate', 'application.p95', 'application.hitRate']
          .map((k, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t(k))))),
        h('tbody', {}, this.routes.map((r) => h('tr', {},
          h('th', { scope: 'row' }, r.route), h('td', { class: 'num' }, num(r.count, 0)),
          h('td', { class: 'num' }, pct(r.error_rate * 100)), h('td', { class: 'num' }, num(r.p95_ms, 1)),
          h('td', { class: 'num' }, pct(r.cache_hit_rate * 100))))))) : h('p', { class: 'notice' }, t('application.noTraffic')),
    );
  }
}
