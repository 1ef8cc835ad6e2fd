// Trends and anomalies, told in sentences of the page's language.
import { get } from '../api.js';
import { t, num, pct, relative, dateTime, onChange, metricName, metricValue } from '../i18n.js';
import { h } from '../dom.js';

function trendSentence(tr) {
  const name = metricName(tr.metric);
  if (tr.slope_per_hour === null || tr.slope_per_hour === undefined) return t('insights.notEnough', { metric: name });
  const slope = tr.slope_per_hour;
  const flat = Math.abs(slope) < 0.05;
  let text = flat ? t('insights.flat', { metric: name, value: pct(tr.current) })
    : t(slope > 0 ? 'insights.rising' : 'insights.falling', { metric: name, value: pct(tr.current), rate: num(Math.abs(slope), 2) });
  if (tr.crossing_at && tr.threshold !== undefined) {
    text += ' ' + t('insights.crossing', { threshold: pct(tr.threshold), when: relative(tr.crossing_at) });
  }
  return text;
}

function anomalySentence(a) {
  return t('insights.anomaly', {
    metric: metricName(a.metric), value: metricValue(a.metric, a.value), baseline: metricValue(a.metric, a.baseline), score: num(a.score, 1),
  });
}

export class Insights {
  constructor(panel) {
    this.panel = panel;
    this.trends = null;
    this.anomalies = null;
    onChange(() => this.draw());
  }

  async refresh() {
    try {
      const [trends, anomalies] = await Promise.all([get('/api/monitoring/trends?window=1h'), get('/api/monitoring/anomalies?limit=10')]);
      this.trends = trends.trends || [];
      this.anomalies = anomalies.anomalies || [];
      this.draw();
    } catch (e) {
      this.panel.failed(e);
    }
  }

  draw() {
    if (!this.trends) return;
    const recent = this.anomalies.slice(-10).reverse();
    this.panel.show(
      h('h3', {}, t('insights.trends')),
      h('ul', { class: 'lines', id: 'trend-list' }, this.trends.map((tr) => h('li', {}, trendSentence(tr)))),
      h('h3', {}, t('insights.anomalies')),
      recent.length
        ? h('ul', { class: 'lines' }, recent.map((a) => h('li', {}, anomalySentence(a), h('span', { class: 'when' }, dateTime(a.time)))))
        : h('p', { class: 'notice' }, t('insights.noAnomalies')),
    );
  }
}
