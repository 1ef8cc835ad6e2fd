// Cache: hit rate, keys, hits and misses overall and per level.
import { get } from '../api.js';
import { t, pct, num, onChange } from '../i18n.js';
import { h, figures, ltr, scroller } from '../dom.js';

function rate(hits, misses) {
  const total = (hits || 0) + (misses || 0);
  return total ? (hits / total) * 100 : null;
}

export class Cache {
  constructor(panel) {
    this.panel = panel;
    this.stats = null;
    onChange(() => this.draw());
  }

  async refresh() {
    try {
      this.stats = await get('/api/cache/stats');
      this.draw();
    } catch (e) {
      this.panel.failed(e);
    }
  }

  draw() {
    const s = this.stats;
    if (!s) return;
    const levels = Object.entries(s.levels || {});
    this.panel.show(
      figures([
        ['cache.hitRate', pct(rate(s.hits, s.misses)), { 'data-figure': 'hit-rate' }],
        ['cache.keys', num(s.total_keys, 0)],
        ['cache.hits', num(s.hits, 0)],
        ['cache.misses', num(s.misses, 0)],
      ]),
      h('p', { class: 'notice' }, t('cache.type', { type: t('cache.type.' + (s.cache_type || 'in_memory')) }),
        s.degraded ? h('span', { class: 'badge bad' }, ' ', t('cache.degraded')) : null),
      levels.length ? scroller('cache.levels', h('table', {},
        h('caption', { class: 'notice' }, t('cache.levels')),
        h('thead', {}, h('tr', {}, ['cache.level', 'cache.hitRate', 'cache.keys', 'cache.hits', 'cache.misses']
          .map((k, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t(k))))),
        h('tbody', {}, levels.map(([name, l]) => h('tr', {},
          h('th', { scope: 'row' }, ltr(name.toUpperCase())), h('td', { class: 'num' }, pct(rate(l.hits, l.misses))),
          h('td', { class: 'num' }, num(l.keys, 0)), h('td', { class: 'num' }, num(l.hits, 0)),
          h('td', { class: 'num' }, num(l.misses, 0))))))) : null,
    );
  }
}
