// Health: status colour, headline figures and the warnings of the newest sample.
import { t, pct, num, dateTime, bytes, metricName } from '../i18n.js';
import { h, figures } from '../dom.js';

export function renderHealth(panel, sample) {
  const { health, metrics } = sample;
  const status = health?.status || 'healthy';
  panel.el.dataset.status = status;
  const warnings = health?.warnings || [];
  const breaches = health?.breaches || [];
  panel.show(
    h('p', {}, h('span', { class: `status ${status}`, id: 'health-status', 'data-status': status }, t('health.' + status))),
    figures([
      ['health.cpu', pct(metrics.cpu_percent), { 'data-figure': 'cpu' }],
      ['health.ram', pct(metrics.ram_percent), { 'data-figure': 'ram' }],
      ['health.disk', pct(metrics.disk_percent), { 'data-figure': 'disk' }],
      ['health.netRx', bytes(metrics.network?.rx_bytes_per_sec, true)],
      ['health.netTx', bytes(metrics.network?.tx_bytes_per_sec, true)],
      ['health.processes', num(metrics.process_count, 0)],
    ]),
    h('h3', {}, t('health.warnings')),
    warnings.length
      ? h('ul', { class: 'lines' }, warnings.map((w, i) => h('li', {}, breachText(breaches[i]) || w)))
      : h('p', { class: 'notice' }, t('health.noWarnings')),
    h('p', { class: 'when' }, t('common.updated', { time: dateTime(metrics.timestamp) })),
  );
}

/** A localized sentence for a breach when its fields are known; else null (the server's sentence is used). */
function breachText(b) {
  if (!b || b.value === undefined || b.threshold === undefined || !b.metric) return null;
  return t('health.breach', {
    metric: metricName(b.metric), value: pct(b.value), threshold: pct(b.threshold), level: t('health.level.' + (b.level || 'warning')),
  });
}
