// Talking to the daemon: the API key, JSON requests, errors, streamed bodies.

const KEY_NAME = 'bhatti.key';

export function getKey() {
  try { return sessionStorage.getItem(KEY_NAME) || ''; } catch { return ''; }
}

export function setKey(key) {
  try { sessionStorage.setItem(KEY_NAME, key); } catch { /* storage disabled */ }
}

export function clearKey() {
  try { sessionStorage.removeItem(KEY_NAME); } catch { /* storage disabled */ }
}

/** An error answered by the daemon ({"error": msg, "code": code}) or by the network. */
export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code || '';
  }
}

// Called with the ApiError whenever any request is answered 401 (set by app.js).
let unauthorizedHandler = null;
export function onUnauthorized(fn) { unauthorizedHandler = fn; }

/** Turns a non-2xx response into an ApiError carrying the daemon's message. */
export async function errorFrom(response) {
  let message = `${response.status} ${response.statusText}`.trim();
  let code = '';
  try {
    const text = await response.text();
    if (text) {
      try {
        const body = JSON.parse(text);
        if (body && typeof body.error === 'string') message = body.error;
        if (body && typeof body.code === 'string') code = body.code;
        if (body && body.request_id) message += ` (request ${body.request_id})`;
      } catch {
        message = text.slice(0, 300);
      }
    }
  } catch { /* body unreadable */ }
  const err = new ApiError(message, response.status, code);
  if (response.status === 401 && unauthorizedHandler) unauthorizedHandler(err);
  return err;
}

/**
 * Sends a request and answers the Response (2xx only; other statuses throw ApiError).
 * opts: method, body (object → JSON; Blob/ArrayBuffer/File sent raw), headers, key, signal.
 */
export async function request(path, opts = {}) {
  const headers = new Headers(opts.headers || {});
  const key = opts.key !== undefined ? opts.key : getKey();
  if (key) headers.set('Authorization', 'Bearer ' + key);
  let body = opts.body;
  if (body !== undefined && body !== null && !(body instanceof Blob)
      && !(body instanceof ArrayBuffer) && typeof body !== 'string') {
    body = JSON.stringify(body);
    headers.set('Content-Type', 'application/json');
  }
  let response;
  try {
    response = await fetch(path, {
      method: opts.method || 'GET',
      headers,
      body,
      signal: opts.signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError('cannot reach the daemon: ' + (e && e.message ? e.message : e), 0, 'network');
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** A request answering parsed JSON (or null for an empty body, e.g. 204). */
export async function api(path, opts = {}) {
  const response = await request(path, opts);
  const text = await response.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return text; }
}

/** Encodes a sandbox id or name for a path segment. */
export function seg(value) {
  return encodeURIComponent(String(value));
}

/**
 * Reads a streamed body line by line (NDJSON, SSE), calling onLine(text) for each
 * complete line as soon as it arrives. Handles \n and \r\n; answers when the body ends.
 */
export async function readLines(response, onLine) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      let line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      onLine(line);
    }
  }
  buffer += decoder.decode();
  if (buffer) onLine(buffer.endsWith('\r') ? buffer.slice(0, -1) : buffer);
}
