// Live and historical charts of CPU, RAM, disk and network with uPlot (from its WebJar).
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { get } from './api.js';
import { t, pct, bytes, time, day, onChange } from './i18n.js';
import { h } from './dom.js';

const LIVE_SECONDS = 15 * 60;
const RANGES = { '15m': 15 * 60, '1h': 3600, '24h': 86400, '7d': 7 * 86400 };
// 1 h and 24 h read the stored 1-minute roll-ups, 7 d the 1-hour ones (both survive restarts);
// the live window fills from the in-memory samples
const STEPS = { '15m': '1s', '1h': '1m', '24h': '1m', '7d': '1h' };

const CHARTS = [
  { id: 'cpu', key: 'charts.cpu', series: [{ metric: 'cpu_percent', key: 'charts.cpu', pick: (m) => m.cpu_percent }], percent: true },
  { id: 'ram', key: 'charts.ram', series: [{ metric: 'ram_percent', key: 'charts.ram', pick: (m) => m.ram_percent }], percent: true },
  { id: 'disk', key: 'charts.disk', series: [{ metric: 'disk_percent', key: 'charts.disk', pick: (m) => m.disk_percent }], percent: true },
  {
    id: 'net', key: 'charts.net', percent: false, series: [
      { metric: 'net_rx_bytes_per_sec', key: 'charts.rx', pick: (m) => m.network?.rx_bytes_per_sec },
      { metric: 'net_tx_bytes_per_sec', key: 'charts.tx', pick: (m) => m.network?.tx_bytes_per_sec },
    ],
  },
];

const measure = document.createElement('canvas').getContext('2d');
/** The axis font: the page's, at 12 px (set on the axes, so measuring here matches what uPlot draws). */
function axisFont() {
  return '12px ' + getComputedStyle(document.documentElement).fontFamily;
}
/** The widest line of {@code values} (a label may have several, split at '\n') in the axis font, in CSS pixels. */
function textWidth(u, values) {
  if (!values || !values.length) return 0;
  measure.font = axisFont();
  return Math.ceil(Math.max(...values.flatMap((v) => String(v).split('\n')).map((v) => measure.measureText(v).width)));
}

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** The resources panel: four charts fed by live samples, or by the history API for longer ranges. */
export class Charts {
  constructor(panel) {
    this.panel = panel;
    this.range = '15m';
    this.live = CHARTS.map(() => null);
    this.data = CHARTS.map((c) => [[], ...c.series.map(() => [])]);
    this.plots = [];
    this.figures = [];
    panel.el.querySelectorAll('[data-range]').forEach((b) => b.addEventListener('click', () => this.select(b.dataset.range)));
    onChange(() => this.build());
    new ResizeObserver(() => this.resize()).observe(panel.body);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.build());
  }

  /** Fills the last 15 minutes from history, then draws. */
  async start() {
    const to = new Date();
    const from = new Date(to.getTime() - LIVE_SECONDS * 1000);
    try {
      const series = await this.fetchAll(from, to, STEPS['15m']);
      this.data = series;
    } catch (e) {
      this.panel.failed(e);
      return;
    }
    this.build();
  }

  async fetchAll(from, to, step) {
    const q = (metric) => `/api/monitoring/history?metric=${encodeURIComponent(metric)}&from=${from.toISOString()}`
      + `&to=${to.toISOString()}&step=${step}`;
    return Promise.all(CHARTS.map(async (c) => {
      const answers = await Promise.all(c.series.map((s) => get(q(s.metric))));
      const times = new Set();
      answers.forEach((a) => a.points.forEach((p) => times.add(Date.parse(p.time) / 1000)));
      const xs = [...times].sort((a, b) => a - b);
      const index = new Map(xs.map((x, i) => [x, i]));
      const ys = answers.map((a) => {
        const col = new Array(xs.length).fill(null);
        a.points.forEach((p) => { col[index.get(Date.parse(p.time) / 1000)] = p.avg; });
        return col;
      });
      return [xs, ...ys];
    }));
  }

  async select(range) {
    this.range = range;
    this.panel.el.querySelectorAll('[data-range]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.range === range)));
    if (range === '15m') {
      this.build();
      return;
    }
    const to = new Date();
    const from = new Date(to.getTime() - RANGES[range] * 1000);
    try {
      this.window = [from.getTime() / 1000, to.getTime() / 1000];
      // a window with no stored roll-ups yet still spans its whole range (uPlot needs points to scale)
      this.history = (await this.fetchAll(from, to, STEPS[range]))
        .map((d) => (d[0].length ? d : [[...this.window], ...d.slice(1).map(() => [null, null])]));
      if (this.range === range) this.build();
    } catch (e) {
      this.panel.failed(e);
    }
  }

  /** Adds one sample to the live window; redraws when the live range is shown. */
  add(sample) {
    const m = sample.metrics;
    const x = Date.parse(m.timestamp) / 1000;
    CHARTS.forEach((c, i) => {
      const d = this.data[i];
      if (d[0].length && x <= d[0][d[0].length - 1]) return;
      d[0].push(x);
      c.series.forEach((s, j) => d[j + 1].push(s.pick(m) ?? null));
      while (d[0].length && d[0][0] < x - LIVE_SECONDS) d.forEach((col) => col.shift());
      this.live[i] = c.series.map((s) => s.pick(m));
    });
    if (this.range === '15m') this.redraw();
  }

  shown() {
    return this.range === '15m' ? this.data : this.history;
  }

  build() {
    this.plots.forEach((p) => p.destroy());
    this.plots = [];
    this.figures = [];
    const grid = h('div', { class: 'charts' });
    const colors = [css('--series-1'), css('--series-2'), css('--series-3'), css('--series-4')];
    const axis = { font: axisFont(), stroke: css('--muted'), grid: { stroke: css('--line'), width: 1 }, ticks: { stroke: css('--line') } };
    const long = this.range === '24h' || this.range === '7d';
    const data = this.shown();
    // the x axis spans the chosen window, however few points there are; the live one the last 15 minutes
    const xRange = (u, min, max) => (this.range === '15m'
      ? [Math.min(min ?? Infinity, (max ?? Date.now() / 1000) - LIVE_SECONDS), max ?? Date.now() / 1000]
      : this.window);
    const tick = this.range === '15m' ? (d) => time(d) : long ? (d) => day(d) + '\n' + time(d, 'short') : (d) => time(d, 'short');
    CHARTS.forEach((c, i) => {
      const value = h('strong', {});
      const plot = h('div', { class: 'plot', 'aria-hidden': 'true' });
      const fig = h('figure', { class: 'chart', id: 'chart-' + c.id },
        h('figcaption', {}, h('span', {}, t(c.key)), value), plot);
      grid.append(fig);
      const fmt = c.percent ? (v) => pct(v) : (v) => bytes(v, true);
      // the time labels last formatted: a label is centred on its tick, so half of the widest one must fit
      // beside the plot at either end (uPlot sizes axes and padding again after formatting the values)
      let xLabels = [];
      const halfX = (u) => Math.ceil(textWidth(u, xLabels) / 2) + 2;
      const opts = {
        width: 300,
        height: 160,
        legend: { show: false },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { x: { time: true, range: xRange }, y: c.percent ? { range: [0, 100] } : { range: (u, min, max) => [0, Math.max(1024, max)] } },
        padding: [8, (u) => Math.max(16, halfX(u)), 0, 0],
        axes: [
          { ...axis, space: long ? 70 : 90, size: long ? 52 : 36,
            values: (u, ticks) => (xLabels = ticks.map((s) => tick(new Date(s * 1000)))) },
          // wide enough for the longest label in the page's font ("100 %", "1.5 MB/s"), and for half of
          // the first time label centred under the y axis
          { ...axis, size: (u, values) => Math.max(56, textWidth(u, values) + 18, halfX(u)), values: (u, ticks) => ticks.map(fmt) },
        ],
        // the time span drawn, for people reading the page's DOM (and tests)
        hooks: { setScale: [(u, key) => {
          if (key === 'x' && u.scales.x.min !== null) {
            fig.dataset.from = String(Math.round(u.scales.x.min));
            fig.dataset.to = String(Math.round(u.scales.x.max));
          }
        }] },
        series: [{}, ...c.series.map((s, j) => ({ label: t(s.key), stroke: colors[(i + j) % colors.length], width: 2, spanGaps: false }))],
      };
      this.figures.push({ fig, value, fmt, chart: c });
      this.plots.push(new uPlot(opts, data[i], plot));
    });
    this.panel.show(grid);
    this.resize();
    this.caption();
  }

  redraw() {
    this.plots.forEach((p, i) => p.setData(this.data[i]));
    this.caption();
  }

  caption() {
    const data = this.shown();
    this.figures.forEach(({ fig, value, fmt, chart }, i) => {
      const d = data[i];
      const lastOf = (col) => { for (let k = col.length - 1; k >= 0; k -= 1) if (col[k] !== null) return col[k]; return null; };
      const latest = chart.series.map((s, j) => lastOf(d[j + 1]));
      value.textContent = latest.map(fmt).join(' / ');
      fig.dataset.points = String(d[0].length);
      fig.setAttribute('aria-label', t('charts.aria', { name: t(chart.key), value: value.textContent, points: d[0].length }));
    });
  }

  resize() {
    this.plots.forEach((p) => {
      const w = Math.floor(p.root.parentElement.clientWidth);
      if (w > 0 && w !== p.width) p.setSize({ width: w, height: 160 });
    });
  }
}
