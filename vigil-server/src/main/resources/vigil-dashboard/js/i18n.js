// Message catalogs (i18n/<lang>.json), the page's language and direction, and Intl formatting for it.
const LANGS = { en: { dir: 'ltr', intl: 'en' }, ar: { dir: 'rtl', intl: 'ar' } };
const STORE = 'vigil.lang';
const catalogs = {};
let lang = 'en';
const listeners = [];

export function current() { return lang; }
export function locale() { return LANGS[lang].intl; }

function initial() {
  const saved = localStorage.getItem(STORE);
  if (saved && LANGS[saved]) return saved;
  return (navigator.language || 'en').toLowerCase().startsWith('ar') ? 'ar' : 'en';
}

async function load(l) {
  if (!catalogs[l]) {
    const res = await fetch(`/i18n/${l}.json`, { cache: 'no-cache' });
    if (!res.ok) throw new Error(`message catalog ${l} could not be loaded: HTTP ${res.status}`);
    catalogs[l] = await res.json();
  }
  return catalogs[l];
}

/** Loads the saved (or browser) language; call once before rendering. */
export async function init() {
  await load('en');
  await use(initial(), false);
}

/** Switches the page to {@code l}, remembers it, and re-renders every listener. */
export async function use(l, remember = true) {
  if (!LANGS[l]) throw new Error(`unknown language ${l}`);
  await load(l);
  lang = l;
  if (remember) localStorage.setItem(STORE, l);
  const html = document.documentElement;
  html.lang = l;
  html.dir = LANGS[l].dir;
  document.title = t('app.title');
  translate(document);
  document.querySelectorAll('[data-lang]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === l)));
  listeners.forEach((fn) => fn(l));
}

/** Runs {@code fn} after every language change. */
export function onChange(fn) { listeners.push(fn); }

/** The message {@code key} with {name} placeholders filled; the English text when the language lacks it. */
export function t(key, params = {}) {
  const text = catalogs[lang]?.[key] ?? catalogs.en?.[key];
  if (text === undefined) {
    console.warn(`missing message ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (m, name) => (params[name] === undefined ? m : String(params[name])));
}

/** Fills data-i18n (text) and data-i18n-attr ("attr:key;attr:key") under {@code root}. */
export function translate(root) {
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n, el.dataset.i18nParams ? JSON.parse(el.dataset.i18nParams) : {});
  });
  root.querySelectorAll('[data-i18n-attr]').forEach((el) => {
    el.dataset.i18nAttr.split(';').forEach((pair) => {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr, t(key));
    });
  });
}

const cache = new Map();
function intl(kind, options) {
  const k = lang + kind + JSON.stringify(options);
  if (!cache.has(k)) cache.set(k, kind === 'n' ? new Intl.NumberFormat(locale(), options)
    : kind === 'd' ? new Intl.DateTimeFormat(locale(), options) : new Intl.RelativeTimeFormat(locale(), options));
  return cache.get(k);
}

/** A number for the current language. */
export function num(v, digits = 1) {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : intl('n', { maximumFractionDigits: digits }).format(v);
}

/** A percentage given as 0–100. */
export function pct(v, digits = 1) {
  return v === null || v === undefined ? '–' : intl('n', { style: 'percent', maximumFractionDigits: digits }).format(v / 100);
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];
/** A size in bytes with a unit (decimal multiples), or a rate with {@code perSecond}. */
export function bytes(v, perSecond = false) {
  if (v === null || v === undefined) return '–';
  let i = 0;
  let x = Math.abs(v);
  while (x >= 1000 && i < UNITS.length - 1) { x /= 1000; i += 1; }
  const unit = UNITS[i] + (perSecond ? '-per-second' : '');
  return intl('n', { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: x < 10 ? 1 : 0 }).format(Math.sign(v) * x);
}

/** A date and time ({@code compact}: short date, minutes). */
export function dateTime(v, compact = false) {
  if (!v) return '–';
  const d = v instanceof Date ? v : new Date(v);
  const style = compact ? { dateStyle: 'short', timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'medium' };
  return Number.isNaN(d.getTime()) ? String(v) : intl('d', style).format(d);
}

/** A value of a monitoring series in its unit: % for *_percent, bytes per second for *_bytes_per_sec. */
export function metricValue(metric, v) {
  const base = String(metric).split(':')[0];
  if (base.endsWith('_percent')) return pct(v);
  if (base.endsWith('_bytes_per_sec')) return bytes(v, true);
  return num(v, 1);
}

/** A time of day (for chart axes): with seconds, or {@code 'short'} to the minute. */
export function time(d, precision = 'seconds') {
  return intl('d', precision === 'short' ? { hour: '2-digit', minute: '2-digit' }
    : { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d);
}

/** A day of the year, short (for chart axes). */
export function day(d) {
  return intl('d', { month: 'short', day: 'numeric' }).format(d);
}

/** "in 3 days" / "2 hours ago" for a moment relative to now. */
export function relative(v) {
  const ms = new Date(v).getTime() - Date.now();
  const abs = Math.abs(ms);
  const [n, unit] = abs >= 86400000 ? [ms / 86400000, 'day'] : abs >= 3600000 ? [ms / 3600000, 'hour']
    : abs >= 60000 ? [ms / 60000, 'minute'] : [ms / 1000, 'second'];
  return intl('r', { numeric: 'auto' }).format(Math.round(n), unit);
}

/** The name of a monitoring series (cpu_percent, disk_percent:/var, net_rx_bytes_per_sec …) in the page's language. */
export function metricName(metric) {
  const [base, ...rest] = String(metric).split(':');
  if (rest.length) return t('metric.diskMount', { mount: rest.join(':') });
  const key = 'metric.' + base;
  return catalogs.en?.[key] === undefined ? base : t(key);
}
