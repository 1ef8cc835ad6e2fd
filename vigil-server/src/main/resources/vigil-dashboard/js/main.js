// The dashboard: login with an API token, then panels filled from the API and kept live.
import { get, token, setToken, clearToken, onUnauthorized, Routes } from './api.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { Panel } from './dom.js';
import { Live } from './live.js';
import { Charts } from './charts.js';
import { renderHealth } from './panels/health.js';
import { Processes } from './panels/processes.js';
import { Insights } from './panels/insights.js';
import { Cache } from './panels/cache.js';
import { App } from './panels/app.js';
import { Alerts } from './panels/alerts.js';
import { Backups } from './panels/backups.js';
import { Database } from './panels/database.js';
import { Optimizer } from './panels/optimizer.js';
import { Feed, errorLine, auditLine } from './panels/feed.js';

const $ = (id) => document.getElementById(id);
let session = null;
const MESSAGE = 'vigil.loginMessage';

function showLogin(messageKey) {
  session?.stop();
  session = null;
  $('board').hidden = true;
  $('who').hidden = true;
  $('logout').hidden = true;
  $('live').textContent = '';
  $('login').hidden = false;
  $('login-error').dataset.key = messageKey || '';
  $('login-error').textContent = messageKey ? t(messageKey) : '';
  $('token').value = '';
  $('token').focus();
}

/**
 * The panels after the live ones, in page order. A panel shows only when its features are on (per
 * /api/info; a feature the server does not name counts as on) and its route exists and allows the
 * caller's role; otherwise it says why, without calling the API. To add a panel: a section in
 * index.html, its module under panels/, and one entry here.
 */
const PANELS = [
  { name: 'cache', feature: 'cache', route: '/api/cache/stats', every: 10000, make: (panel) => new Cache(panel) },
  { name: 'app', feature: 'proxy', route: '/api/app/summary', every: 10000, make: (panel) => new App(panel) },
  {
    name: 'backups', feature: ['backups', 'backup_databases'], route: '/api/backup/list', every: 30000,
    make: (panel, routes) => new Backups(panel, routes.allows('POST', '/api/backup/create'),
      routes.allows('POST', '/api/backup/verify/{filename}')),
  },
  { name: 'database', feature: 'insight', route: '/api/db', every: 60000, make: (panel) => new Database(panel) },
  {
    name: 'optimizer', feature: 'optimizer', route: '/api/optimizer/status', every: 15000,
    make: (panel, routes) => new Optimizer(panel, routes.allows('POST', '/api/optimizer/actions/{id}/rollback')),
  },
  {
    name: 'alerts', feature: 'alerts', route: '/api/alerts', every: 10000,
    make: (panel, routes) => new Alerts(panel, routes.allows('POST', '/api/alerts/silences')),
  },
  {
    name: 'errors', feature: 'logging', route: '/api/logs/recent', every: 15000,
    make: (panel) => new Feed(panel, '/api/logs/recent?level=ERROR&limit=20', errorLine, 'errors.none'),
  },
  {
    name: 'audit', feature: 'audit', route: '/api/audit/recent', role: 'admin', every: 5000,
    make: (panel) => new Feed(panel, '/api/audit/recent?limit=20', auditLine, 'audit.none'),
  },
];
const LIVE_PANELS = ['health', 'charts', 'processes', 'insights'];

/** Everything that runs while signed in; stop() ends it all. */
class Session {
  constructor(me, routes, features) {
    this.me = me;
    this.routes = routes;
    this.features = features || {};
    this.timers = [];
    this.live = null;
  }

  every(ms, fn) {
    fn();
    this.timers.push(setInterval(fn, ms));
  }

  /** Whether the server has {@code feature} (a name or several) on; a feature it does not name counts as on. */
  on(feature) {
    return [feature].flat().every((f) => !f || this.features[f] !== false);
  }

  start() {
    const { me, routes } = this;
    const has = (path) => routes.has('GET', path);
    /** Shows a panel's notice when its feature is off or its route absent or above the caller's role; true when it may load. */
    const usable = (panel, feature, path) => {
      if (!this.on(feature) || !has(path)) panel.notice('disabled', 'common.notEnabled');
      else if (!routes.allows('GET', path)) panel.notice('forbidden', 'common.forbidden');
      else return true;
      return false;
    };
    const panels = Object.fromEntries([...LIVE_PANELS, ...PANELS.map((p) => p.name)]
      .map((n) => [n, new Panel('panel-' + n)]));
    Object.values(panels).forEach((p) => { p.el.dataset.state = 'loading'; p.el.hidden = false; p.body.replaceChildren(); });

    if (this.on('monitoring') && has('/api/monitoring/health') && has('/api/stream')) {
      const charts = new Charts(panels.charts);
      charts.start();
      let last = null;
      i18n.onChange(() => { if (last && this.live) renderHealth(panels.health, last); });
      this.live = new Live((sample) => {
        last = sample;
        renderHealth(panels.health, sample);
        charts.add(sample);
      }, (state) => {
        $('live').dataset.state = state;
        $('live').textContent = t('live.' + state);
        if (state === 'off') LIVE_PANELS.forEach((n) => panels[n].notice('disabled', 'common.notEnabled'));
      });
      this.live.start();
      const processes = new Processes(panels.processes);
      this.every(10000, () => processes.refresh());
      const insights = new Insights(panels.insights);
      this.every(60000, () => insights.refresh());
    } else {
      LIVE_PANELS.forEach((n) => panels[n].notice('disabled', 'common.notEnabled'));
    }

    PANELS.forEach((def) => {
      const panel = panels[def.name];
      if (def.role && !(me.roles || []).includes(def.role)) {
        panel.el.hidden = true;
        panel.el.dataset.state = 'forbidden';
      } else if (usable(panel, def.feature, def.route)) {
        const view = def.make(panel, routes);
        this.every(def.every, () => view.refresh());
      }
    });
  }

  stop() {
    this.timers.forEach(clearInterval);
    this.live?.stop();
  }
}

async function enter() {
  let me;
  let routes;
  let info;
  try {
    const [who, doc] = await Promise.all([get('/api/whoami'), get('/api/openapi.json')]);
    me = who;
    routes = new Routes(doc, me.roles);
    // which features are on, so panels of those that are off never call their routes
    info = routes.allows('GET', '/api/info') ? await get('/api/info') : null;
  } catch (e) {
    if (e.status !== 401) showLogin('login.unreachable');
    return;
  }
  $('login').hidden = true;
  $('board').hidden = false;
  $('logout').hidden = false;
  const who = $('who');
  who.hidden = false;
  who.dataset.role = me.role;
  const label = () => { who.textContent = t('login.who', { name: me.name, role: t('role.' + me.role) }); };
  label();
  i18n.onChange(label);
  session = new Session(me, routes, info?.features);
  session.start();
  markWhenFilled();
}

/** Marks (performance mark "vigil-panels-filled", body data-filled) the moment no shown panel is still loading. */
function markWhenFilled() {
  const done = () => [...document.querySelectorAll('.panel')].every((p) => p.hidden || p.dataset.state !== 'loading');
  const mark = () => {
    performance.mark('vigil-panels-filled');
    document.body.dataset.filled = 'true';
  };
  if (done()) {
    mark();
    return;
  }
  const watch = new MutationObserver(() => {
    if (done()) {
      watch.disconnect();
      mark();
    }
  });
  watch.observe($('board'), { subtree: true, attributes: true, attributeFilter: ['data-state', 'hidden'] });
}

/** Forgets the token and starts over from a clean page (so nothing of the old session lingers). */
function signOut(messageKey) {
  if (!session && !token()) {
    showLogin(messageKey);
    return;
  }
  session?.stop();
  session = null;
  clearToken();
  sessionStorage.setItem(MESSAGE, messageKey);
  location.reload();
}

async function boot() {
  await i18n.init();
  document.querySelectorAll('[data-lang]').forEach((b) => b.addEventListener('click', () => i18n.use(b.dataset.lang)));
  i18n.onChange(() => {
    const err = $('login-error');
    if (err.dataset.key) err.textContent = t(err.dataset.key);
    if (session?.live) $('live').textContent = t('live.' + $('live').dataset.state);
  });
  onUnauthorized(() => signOut('login.rejected'));
  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = $('token').value.trim();
    if (!value) {
      $('login-error').dataset.key = 'login.empty';
      $('login-error').textContent = t('login.empty');
      return;
    }
    setToken(value);
    enter();
  });
  $('logout').addEventListener('click', () => signOut(''));
  // A page left for another (and perhaps kept in the back/forward cache) must not hold its stream open:
  // browsers allow six connections per server, and every kept stream would take one.
  window.addEventListener('pagehide', () => session?.live?.stop());
  window.addEventListener('pageshow', (e) => { if (e.persisted) session?.live?.start(); });
  document.body.dataset.ready = 'true';
  const message = sessionStorage.getItem(MESSAGE);
  sessionStorage.removeItem(MESSAGE);
  if (token()) enter();
  else showLogin(message);
}

boot();
