// The daemon's live event stream (GET /events, Server-Sent Events) read through fetch,
// because EventSource cannot send the Authorization header.

import { getKey, errorFrom, readLines, seg } from './api.js';

const RECONNECT_MS = 1000;
const MAX_BACKOFF_MS = 30000;

/**
 * Opens the stream and keeps it open until close() is called: on a disconnect it
 * reconnects after ~1 s with Last-Event-ID, so no event is lost or repeated.
 * options: sandbox (id or name, to filter), history (true: first replay the events the daemon
 *          still retains), onEvent(event), onState('open'|'retry'|'error', detail), onUnauthorized(err).
 */
export function openEvents(options = {}) {
  let closed = false;
  let lastId = options.history ? '0' : null;
  let controller = null;
  let timer = null;
  let failures = 0;

  const url = '/events' + (options.sandbox ? '?sandbox=' + seg(options.sandbox) : '');

  function dispatch(id, dataLines) {
    if (id !== null) lastId = id;
    if (!dataLines.length) return;
    let event;
    try { event = JSON.parse(dataLines.join('\n')); } catch { return; }
    if (event && event.id !== undefined && id === null) lastId = String(event.id);
    if (options.onEvent) {
      try { options.onEvent(event); } catch (e) { console.error('event handler failed', e); }
    }
  }

  async function connect() {
    if (closed) return;
    controller = new AbortController();
    const headers = { Authorization: 'Bearer ' + getKey(), Accept: 'text/event-stream' };
    if (lastId !== null) headers['Last-Event-ID'] = lastId;
    let response;
    try {
      response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
    } catch (e) {
      if (closed) return;
      schedule(e && e.message ? e.message : 'network error');
      return;
    }
    if (!response.ok) {
      const err = await errorFrom(response);
      if (closed) return;
      if (response.status === 401) {
        closed = true;
        if (options.onUnauthorized) options.onUnauthorized(err);
        return;
      }
      if (options.onState) options.onState('error', err.message);
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        closed = true; // e.g. no such sandbox: asking again will not help
        return;
      }
      failures++;
      schedule(err.message);
      return;
    }
    failures = 0;
    if (options.onState) options.onState('open');

    // SSE framing: "field: value" lines; a blank line ends an event; ":" lines are comments.
    let id = null;
    let data = [];
    try {
      await readLines(response, (line) => {
        if (line === '') {
          dispatch(id, data);
          id = null;
          data = [];
          return;
        }
        if (line.startsWith(':')) return;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\0')) id = value;
        // "event" and "retry" are not used by the daemon's stream.
      });
    } catch (e) {
      if (closed) return;
    }
    if (!closed) schedule('stream ended');
  }

  function schedule(reason) {
    if (closed) return;
    if (options.onState) options.onState('retry', reason);
    const wait = failures > 0 ? Math.min(MAX_BACKOFF_MS, RECONNECT_MS * 2 ** Math.min(failures, 5)) : RECONNECT_MS;
    timer = setTimeout(connect, wait);
  }

  connect();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (controller) controller.abort();
    },
  };
}

/** The sandbox status an event implies (undefined when it does not say). */
export function statusAfter(type) {
  switch (type) {
    case 'created': case 'woke': case 'paused': case 'started': case 'restored': case 'forked':
      return 'running';
    case 'stopped': return 'stopped';
    case 'failed': return 'failed';
    case 'destroyed': return 'destroyed';
    default: return undefined;
  }
}

/** One line of text describing an event, for lists and announcements. */
export function describeEvent(ev) {
  const parts = [ev.type];
  if (ev.cause) parts.push(`(${ev.cause})`);
  if (ev.thermal) parts.push(ev.from && ev.from !== ev.thermal ? `${ev.from} → ${ev.thermal}` : `→ ${ev.thermal}`);
  if (typeof ev.duration_ms === 'number') parts.push(`in ${ev.duration_ms} ms`);
  if (ev.detail) parts.push(`: ${ev.detail}`);
  return parts.join(' ');
}
