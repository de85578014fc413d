// Small DOM helpers shared by the views: element building, notices, badges, formatting.

/** Builds an element: h('a', {href: '#/', class: 'x', dataset: {id}}, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'text') el.textContent = value;
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let noticeTimer = null;

/**
 * Shows a message in the global #notice region; its text is the message alone. The region
 * stays in the page (only collapsed when empty) so that screen readers announce changes. kind: 'info' and 'success' fade after a while, 'error' stays
 * until replaced or dismissed.
 */
export function notify(message, kind = 'info') {
  const region = document.getElementById('notice');
  const bar = document.getElementById('notice-bar');
  if (!region || !bar) return;
  clearTimeout(noticeTimer);
  region.textContent = message;
  bar.className = 'notice notice-' + kind;
  document.getElementById('notice-dismiss').hidden = false;
  if (kind !== 'error') noticeTimer = setTimeout(clearNotice, 8000);
}

export function notifyError(err, prefix = '') {
  if (err && err.name === 'AbortError') return;
  const message = err && err.message ? err.message : String(err);
  notify(prefix ? `${prefix}: ${message}` : message, 'error');
}

export function clearNotice() {
  const region = document.getElementById('notice');
  const bar = document.getElementById('notice-bar');
  if (!region || !bar) return;
  clearTimeout(noticeTimer);
  region.textContent = '';
  bar.className = 'notice is-empty';
  document.getElementById('notice-dismiss').hidden = true;
}

/** A thermal badge: coloured, and its text says the state (hot / warm / cold). */
export function thermalBadge(thermal) {
  const value = thermal || 'unknown';
  return h('span', { class: 'badge thermal-' + value }, value);
}

export function statusBadge(status) {
  const value = status || 'unknown';
  return h('span', { class: 'badge status-' + value }, value);
}

/** Label chips "key=value". */
export function labelList(labels) {
  const entries = Object.entries(labels || {});
  if (!entries.length) return h('span', { class: 'muted' }, '—');
  return h('ul', { class: 'label-chips' }, entries.map(([k, v]) => h('li', { class: 'chip' }, `${k}=${v}`)));
}

export function formatBytes(n) {
  if (typeof n !== 'number' || !isFinite(n)) return '';
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (v < 10 ? v.toFixed(1) : Math.round(v)) + ' ' + units[i];
}

export function formatTime(value) {
  if (!value) return '';
  const d = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (isNaN(d.getTime())) return String(value);
  return d.toLocaleString();
}

export function formatMemory(mb) {
  if (typeof mb !== 'number') return '';
  return mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GiB` : `${mb} MiB`;
}

/** Disables a button while an async action runs; answers the action's result. */
export async function busy(button, label, action) {
  const old = button ? button.textContent : '';
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    if (label) button.textContent = label;
  }
  try {
    return await action();
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      if (label) button.textContent = old;
    }
  }
}

/** Says something to screen readers only (the visually hidden #announcer, aria-live polite). */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => { region.textContent = message; }, 50);
}
