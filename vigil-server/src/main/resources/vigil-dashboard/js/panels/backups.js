// Backups: stats, last success and failure, the list with verification state; create and verify for operators.
import { get, post } from '../api.js';
import { t, num, dateTime, onChange } from '../i18n.js';
import { h, figures, ltr, scroller } from '../dom.js';

export class Backups {
  constructor(panel, canCreate, canVerify) {
    this.panel = panel;
    this.canOperate = canCreate;
    this.canVerify = canVerify;
    this.data = null;
    this.message = null;
    this.busy = false;
    onChange(() => this.draw());
  }

  async refresh() {
    try {
      const [list, stats, jobs] = await Promise.all([get('/api/backup/list?limit=20'), get('/api/backup/stats'),
        get('/api/backup/jobs').catch(() => ({ jobs: [] }))]);
      this.data = { list: list.backups || [], stats, jobs: jobs.jobs || [] };
      this.draw();
    } catch (e) {
      this.panel.failed(e);
    }
  }

  async act(what, fn) {
    this.busy = true;
    this.message = { key: what + '.running' };
    this.draw();
    try {
      const body = await fn();
      this.message = body?.success === false
        ? { key: what + '.failed', params: { message: body?.verification?.message || '' }, bad: true }
        : { key: what + '.done', params: { file: body?.backup?.filename || body?.verification?.filename || '' } };
    } catch (e) {
      this.message = { key: what + '.failed', params: { message: e.message }, bad: true };
    }
    this.busy = false;
    await this.refresh();
  }

  create() {
    return this.act('backups.create', () => post('/api/backup/create', {}));
  }

  verify(file) {
    return this.act('backups.verify', () => post('/api/backup/verify/' + encodeURIComponent(file), {}));
  }

  lastOf(status) {
    const runs = this.data.jobs.filter((j) => j.kind !== 'verify' && j.last_status === status && j.last_run_time);
    runs.sort((a, b) => String(b.last_run_time).localeCompare(String(a.last_run_time)));
    return runs[0];
  }

  draw() {
    if (!this.data) return;
    const { list, stats } = this.data;
    const success = this.lastOf('SUCCEEDED');
    const failure = this.lastOf('FAILED');
    const lastSuccess = success?.last_run_time || stats.newest_backup;
    const actions = this.canOperate ? h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'backup-create', disabled: this.busy, onclick: () => this.create() }, t('backups.create')),
      this.message ? h('span', { role: 'status', class: this.message.bad ? 'notice bad' : 'notice', id: 'backup-message' },
        t(this.message.key, this.message.params)) : null) : null;
    const rows = list.map((b) => h('tr', { 'data-file': b.filename },
      h('td', { class: 'name file' }, ltr(b.filename)),
      h('td', { class: 'hide-narrow' }, ltr(b.database || '')),
      h('td', { class: 'num' }, num(b.size_mb, 2)),
      h('td', { class: 'hide-narrow' }, dateTime(b.timestamp)),
      h('td', {}, b.verification
        ? h('span', { class: b.verified ? 'badge ok' : 'badge bad' }, t(b.verified ? 'backups.verified' : 'backups.verifyFailed'))
        : h('span', { class: 'badge' }, t('backups.unverified'))),
      this.canVerify ? h('td', {}, h('button', {
        type: 'button', class: 'quiet', disabled: this.busy, onclick: () => this.verify(b.filename),
        'aria-label': t('backups.verifyFile', { file: b.filename }),
      }, t('backups.verify'))) : null));
    this.panel.show(
      figures([
        ['backups.total', num(stats.total_backups, 0), { 'data-figure': 'total' }],
        ['backups.size', num(stats.total_size_mb, 2)],
        ['backups.lastSuccess', lastSuccess ? dateTime(lastSuccess, true) : t('common.never')],
        ['backups.lastFailure', failure ? dateTime(failure.last_run_time, true) : t('common.never')],
      ]),
      failure?.last_message ? h('p', { class: 'notice bad' }, h('bdi', {}, failure.last_message)) : null,
      actions,
      list.length ? scroller('backups.title', h('table', { id: 'backup-table' },
        h('caption', { class: 'notice' }, t('backups.caption')),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('backups.file')), h('th', { scope: 'col', class: 'hide-narrow' }, t('backups.database')),
          h('th', { scope: 'col', class: 'num' }, t('backups.sizeMb')), h('th', { scope: 'col', class: 'hide-narrow' }, t('backups.time')),
          h('th', { scope: 'col' }, t('backups.state')), this.canVerify ? h('th', { scope: 'col' }, t('backups.actions')) : null)),
        h('tbody', {}, rows)), 'backups') : h('p', { class: 'notice' }, t('backups.none')),
    );
  }
}
