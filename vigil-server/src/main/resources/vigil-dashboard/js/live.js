// Live samples: Server-Sent Events from /api/stream read with fetch() (so the token goes in a header),
// reconnecting on its own; while the stream is down, polling every 5 s keeps the panels moving.
import { authHeaders, get, ApiError } from './api.js';

const POLL_MS = 5000;
const MAX_BACKOFF_MS = 30000;

export class Live {
  /**
   * @param onSample called with {metrics, health, anomalies} for every new sample
   * @param onState called with 'connecting' | 'live' | 'polling' | 'off'
   */
  constructor(onSample, onState) {
    this.onSample = onSample;
    this.onState = onState;
    this.stopped = true;
    this.pollTimer = null;
    this.controller = null;
    this.lastTimestamp = null;
  }

  start() {
    this.stopped = false;
    this.backoff = 1000;
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.controller?.abort();
    this.stopPolling();
  }

  async connect() {
    if (this.stopped) return;
    this.onState(this.pollTimer ? 'polling' : 'connecting');
    this.controller = new AbortController();
    let res;
    try {
      res = await fetch('/api/stream', {
        headers: authHeaders({ Accept: 'text/event-stream' }), cache: 'no-store', credentials: 'omit',
        signal: this.controller.signal,
      });
    } catch (e) {
      return this.retryLater();
    }
    if (res.status === 401) {
      await get('/api/whoami').catch(() => {});
      return;
    }
    if (res.status === 404 || res.status === 409) {
      this.stopPolling();
      this.onState('off');
      return;
    }
    if (!res.ok || !res.body) return this.retryLater();
    this.stopPolling();
    this.onState('live');
    this.backoff = 1000;
    const reader = res.body.getReader();
    try {
      await this.read(reader);
    } catch (e) {
      if (this.stopped) return;
      console.warn('live stream interrupted, reconnecting:', e.message);
    } finally {
      this.controller.abort();
    }
    if (!this.stopped) setTimeout(() => this.connect(), 0);
  }

  async read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        try {
          this.dispatch(block);
        } catch (e) {
          console.warn('live sample skipped:', e.message);
        }
      }
    }
  }

  dispatch(block) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (event === 'sample' && data.length) this.deliver(JSON.parse(data.join('\n')));
  }

  deliver(sample) {
    const ts = sample?.metrics?.timestamp;
    if (!ts || ts === this.lastTimestamp) return;
    this.lastTimestamp = ts;
    this.onSample(sample);
  }

  retryLater() {
    if (this.stopped) return;
    this.startPolling();
    const wait = this.backoff;
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    setTimeout(() => this.connect(), wait);
  }

  startPolling() {
    if (this.pollTimer) return;
    this.onState('polling');
    const poll = async () => {
      try {
        const [metrics, health] = await Promise.all([get('/api/monitoring/metrics'), get('/api/monitoring/health')]);
        this.deliver({ metrics, health, anomalies: [] });
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 409)) this.stopPolling();
      }
    };
    poll();
    this.pollTimer = setInterval(poll, POLL_MS);
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }
}
