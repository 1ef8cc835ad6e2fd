// Database: the watched databases, the slowest query shapes of the last hour, connections and cache hit ratio.
import { get } from '../api.js';
import { t, pct, num, onChange } from '../i18n.js';
import { h, figures } from '../dom.js';

export class Database {
  constructor(panel) {
    this.panel = panel;
    this.data = null;
    onChange(() => this.draw());
  }

  async refresh() {
    try {
      const list = (await get('/api/db')).databases || [];
      const first = list[0];
      let queries = null;
      let activity = null;
      if (first) {
        const path = '/api/db/' + encodeURIComponent(first.name);
        [queries, activity] = await Promise.all([get(path + '/queries?window=1h&sort=total_time&limit=5'),
          get(path + '/activity').catch(() => null)]);
      }
      this.data = { list, first, queries, activity };
      this.draw();
    } catch (e) {
      this.panel.failed(e);
    }
  }

  draw() {
    if (!this.data) return;
    const { list, first, queries, activity } = this.data;
    if (!first) {
      this.panel.show(h('p', { class: 'notice' }, t('database.none')));
      return;
    }
    const shapes = queries?.shapes || [];
    const connections = activity ? Object.values(activity.connections_by_state || {}).reduce((a, b) => a + b, 0) : null;
    const hit = activity && activity.cache_hit_ratio >= 0 ? activity.cache_hit_ratio * 100 : null;
    this.panel.show(
      figures([
        ['database.count', num(list.length, 0), { 'data-figure': 'databases' }],
        ['database.slow', num(shapes.filter((s) => s.slow).length, 0)],
        ['database.cacheHit', pct(hit)],
        ['database.connections', connections === null ? '—' : num(connections, 0) + ' / ' + num(activity.max_connections, 0)],
      ]),
      h('p', { class: 'notice' }, t('database.watching', { name: first.name, engine: first.engine }),
        first.last_error ? h('span', { class: 'badge bad' }, ' ', first.last_error) : null),
      activity && activity.blocking?.length ? h('p', { class: 'notice bad' },
        t('database.blocking', { count: activity.blocking.length })) : null,
      shapes.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'db-shapes' },
        h('caption', { class: 'notice' }, t('database.caption')),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('database.query')), h('th', { scope: 'col', class: 'num' }, t('database.calls')),
          h('th', { scope: 'col', class: 'num' }, t('database.mean')),
          h('th', { scope: 'col', class: 'num hide-narrow' }, t('database.total')))),
        h('tbody', {}, shapes.map((s) => h('tr', { 'data-shape': s.shape_id },
          h('td', { class: 'name', dir: 'ltr' }, s.query.length > 90 ? s.query.slice(0, 90) + '…' : s.query),
          h('td', { class: 'num' }, num(s.calls, 0)), h('td', { class: 'num' }, num(s.mean_ms, 1)),
          h('td', { class: 'num hide-narrow' }, num(s.total_ms, 0))))))) : h('p', { class: 'notice' },
        t('database.noShapes')),
    );
  }
}
