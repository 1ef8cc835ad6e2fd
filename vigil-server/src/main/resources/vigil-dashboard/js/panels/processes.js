// Top processes, sortable by any column with the keyboard or a click (aria-sort tells screen readers).
import { get } from '../api.js';
import { t, pct, num, onChange } from '../i18n.js';
import { h, ltr, scroller } from '../dom.js';

const COLUMNS = [
  { key: 'pid', label: 'processes.pid', num: true, fmt: (v) => String(v), narrow: true },
  { key: 'name', label: 'processes.name', num: false, fmt: (v) => ltr(v ?? '') },
  { key: 'cpu_percent', label: 'processes.cpu', num: true, fmt: (v) => pct(v) },
  { key: 'memory_mb', label: 'processes.memory', num: true, fmt: (v) => num(v, 0) },
  { key: 'status', label: 'processes.status', num: false, fmt: (v) => v, narrow: true },
];

export class Processes {
  constructor(panel) {
    this.panel = panel;
    this.rows = [];
    this.sort = { key: 'cpu_percent', dir: -1 };
    onChange(() => this.draw());
  }

  async refresh() {
    try {
      const body = await get('/api/monitoring/processes?top=15');
      this.rows = body.processes || [];
      this.draw();
    } catch (e) {
      this.panel.failed(e);
    }
  }

  sortBy(key) {
    this.sort = this.sort.key === key ? { key, dir: -this.sort.dir } : { key, dir: COLUMNS.find((c) => c.key === key).num ? -1 : 1 };
    this.draw();
    this.panel.body.querySelector(`th[data-key="${key}"] button`)?.focus();
  }

  draw() {
    if (!this.panel.body.isConnected) return;
    const { key, dir } = this.sort;
    const rows = [...this.rows].sort((a, b) => {
      const x = a[key];
      const y = b[key];
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir;
    });
    const head = h('tr', {}, COLUMNS.map((c) => h('th', {
      scope: 'col', class: [c.num ? 'num' : '', c.narrow ? 'hide-narrow' : ''].join(' ').trim() || null, 'data-key': c.key,
      'aria-sort': c.key === key ? (dir > 0 ? 'ascending' : 'descending') : 'none',
    }, h('button', { type: 'button', onclick: () => this.sortBy(c.key) }, t(c.label)))));
    const body = rows.map((r) => h('tr', {}, COLUMNS.map((c) =>
      h('td', { class: [c.num ? 'num' : c.narrow ? '' : 'name', c.narrow ? 'hide-narrow' : ''].join(' ').trim() },
        c.fmt(r[c.key]) ?? ''))));
    // at a narrow width PID and State are hidden (dashboard.css): a line says so, shown only then
    const cue = h('p', { class: 'notice narrow-only', id: 'processes-hidden' }, t('processes.hidden'));
    this.panel.show(cue, scroller('processes.title', h('table', { id: 'process-table' },
      h('caption', { class: 'notice' }, t('processes.caption')), h('thead', {}, head), h('tbody', {}, body))));
  }
}
