// The sandbox list (#/): the table, row actions, the create form, live updates.

import { api, seg } from './api.js';
import { h, notify, notifyError, thermalBadge, statusBadge, labelList, formatMemory, formatTime, busy } from './ui.js';
import { statusAfter } from './events.js';
import { parseEnv, parseLabels, sourceField } from './forms.js';

const sandboxes = new Map(); // id → sandbox, in the daemon's order (oldest first)
let refreshTimer = null;
let refreshing = null;

export function setSandboxes(list) {
  sandboxes.clear();
  for (const sb of list || []) sandboxes.set(sb.id, sb);
  render();
}

export function getSandbox(id) { return sandboxes.get(id); }

/** Fetches GET /sandboxes and redraws the table (rows are updated in place). */
export async function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      setSandboxes(await api('/sandboxes'));
    } catch (e) {
      if (e.status !== 401) notifyError(e, 'Listing sandboxes failed');
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** A refresh a little later, merging bursts of events into one request. */
export function refreshSoon(delay = 300) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, delay);
}

/** Applies one live event to the list: in place for thermal changes, a re-fetch for the rest. */
export function handleEvent(ev) {
  const sb = sandboxes.get(ev.sandbox_id);
  if (sb) {
    if (ev.thermal) sb.thermal = ev.thermal;
    const status = statusAfter(ev.type);
    if (status && status !== 'destroyed') sb.status = status;
    if (ev.type === 'destroyed') sandboxes.delete(ev.sandbox_id);
    const row = rowFor(ev.sandbox_id);
    if (row && ev.type !== 'destroyed') updateRow(row, sb);
    else if (row) row.remove();
    updateEmpty();
  }
  if (!sb || !['woke', 'paused'].includes(ev.type)) refreshSoon();
}

function rowFor(id) {
  const body = document.querySelector('#sandboxes tbody');
  if (!body) return null;
  for (const tr of body.rows) if (tr.dataset.id === id) return tr;
  return null;
}

function render() {
  const body = document.querySelector('#sandboxes tbody');
  if (!body) return;
  const existing = new Map([...body.rows].map((tr) => [tr.dataset.id, tr]));
  let previous = null;
  for (const sb of sandboxes.values()) {
    let tr = existing.get(sb.id);
    existing.delete(sb.id);
    if (!tr) tr = buildRow(sb);
    else updateRow(tr, sb);
    const wanted = previous ? previous.nextSibling : body.firstChild;
    if (wanted !== tr) body.insertBefore(tr, wanted);
    previous = tr;
  }
  for (const tr of existing.values()) tr.remove();
  updateEmpty();
  // first paint of the list, for scripts/bench dashboard (performance.getEntriesByName)
  if (sandboxes.size && !performance.getEntriesByName('bhatti:list-rendered').length) performance.mark('bhatti:list-rendered');
}

function updateEmpty() {
  const empty = document.getElementById('sandboxes-empty');
  if (empty) empty.hidden = sandboxes.size > 0;
  const count = document.getElementById('sandbox-count');
  if (count) count.textContent = String(sandboxes.size);
}

function actionButton(action, text, sb) {
  return h('button', { type: 'button', class: 'small' + (action === 'destroy' ? ' danger' : ''),
    dataset: { action }, 'aria-label': `${text} ${sb.name}` }, text);
}

function buildRow(sb) {
  const tr = h('tr', { dataset: { id: sb.id } },
    h('td', { class: 'name', 'data-label': 'Name' }),
    h('td', { class: 'status', 'data-label': 'Status' }),
    h('td', { class: 'thermal', 'data-label': 'Thermal' }),
    h('td', { class: 'labels', 'data-label': 'Labels' }),
    h('td', { class: 'shape', 'data-label': 'Shape' }),
    h('td', { class: 'image', 'data-label': 'Image' }),
    h('td', { class: 'created', 'data-label': 'Created' }),
    h('td', { class: 'actions', 'data-label': 'Actions' },
      h('div', { class: 'button-row' },
        actionButton('open', 'Open', sb),
        actionButton('stop', 'Stop', sb),
        actionButton('start', 'Start', sb),
        actionButton('fork', 'Fork', sb),
        actionButton('destroy', 'Destroy', sb))));
  updateRow(tr, sb);
  return tr;
}

function updateRow(tr, sb) {
  const cell = (cls) => tr.querySelector('td.' + cls);
  const link = h('a', { href: '#/sandbox/' + encodeURIComponent(sb.id) }, sb.name);
  cell('name').replaceChildren(h('div', {}, link, h('span', { class: 'muted id' }, sb.id)));
  cell('status').replaceChildren(statusBadge(sb.status));
  cell('thermal').replaceChildren(thermalBadge(sb.thermal));
  cell('labels').replaceChildren(labelList(sb.labels));
  cell('shape').textContent = `${sb.cpus ?? '?'} CPU · ${formatMemory(sb.memory_mb)}`;
  cell('image').textContent = sb.image || sb.template_id || '';
  cell('created').textContent = formatTime(sb.created_at);
  tr.querySelector('[data-action="stop"]').disabled = sb.status === 'stopped';
  tr.querySelector('[data-action="start"]').disabled = sb.status === 'running';
  tr.classList.toggle('is-failed', sb.status === 'failed' || sb.status === 'unknown');
}

/** Runs a sandbox action (stop/start/destroy/fork); shared with the sandbox page. */
export async function sandboxAction(action, sb, button) {
  const name = sb.name || sb.id;
  const path = '/sandboxes/' + seg(sb.id);
  try {
    if (action === 'destroy') {
      if (!window.confirm(`Destroy sandbox "${name}" and its disk? This cannot be undone.`)) return null;
      await busy(button, 'Destroying…', () => api(path, { method: 'DELETE' }));
      sandboxes.delete(sb.id);
      render();
      notify(`destroyed ${name}`, 'success');
      return { destroyed: true };
    }
    if (action === 'fork') {
      const children = await busy(button, 'Forking…', () => api(path + '/fork', { method: 'POST', body: {} }));
      const names = (children || []).map((c) => c.name).join(', ');
      notify(`forked ${name} into ${names}`, 'success');
      refreshSoon(0);
      return children;
    }
    const label = action === 'stop' ? 'Stopping…' : 'Starting…';
    const body = action === 'start' ? {} : undefined;
    const updated = await busy(button, label, () => api(path + '/' + action, { method: 'POST', body }));
    if (updated && updated.id) {
      sandboxes.set(updated.id, Object.assign(sandboxes.get(updated.id) || {}, updated));
      render();
    }
    notify(`${action === 'stop' ? 'stopped' : 'started'} ${name}`, 'success');
    return updated;
  } catch (e) {
    notifyError(e, `${action} ${name} failed`);
    render();
    return null;
  }
}

/** Wires the table's buttons and the create form (once, at start-up). */
export function initList(navigate) {
  const table = document.getElementById('sandboxes');
  table.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-action]');
    if (!button) return;
    const sb = sandboxes.get(button.closest('tr').dataset.id);
    if (!sb) return;
    if (button.dataset.action === 'open') navigate('#/sandbox/' + encodeURIComponent(sb.id));
    else sandboxAction(button.dataset.action, sb, button);
  });
  document.getElementById('refresh-list').addEventListener('click', (e) => busy(e.currentTarget, 'Refreshing…', refresh));
  document.getElementById('create-form').addEventListener('submit', onCreate);
}

async function onCreate(e) {
  e.preventDefault();
  const form = e.currentTarget;
  const submit = document.getElementById('create-submit');
  const progress = document.getElementById('create-progress');
  const elapsed = document.getElementById('create-elapsed');
  let body;
  try {
    body = await createBody();
  } catch (err) {
    notifyError(err);
    return;
  }
  const started = Date.now();
  progress.hidden = false;
  elapsed.textContent = '0 s';
  const tick = setInterval(() => { elapsed.textContent = `${Math.round((Date.now() - started) / 1000)} s`; }, 1000);
  notify(`Creating sandbox${body.name ? ' ' + body.name : ''}… this can take a while.`);
  form.setAttribute('aria-busy', 'true');
  try {
    const response = await busy(submit, 'Creating…', () => api('/sandboxes', { method: 'POST', body }));
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (response && response.id) {
      sandboxes.set(response.id, response);
      render();
    }
    notify(`created ${response ? response.name : 'sandbox'} in ${secs} s`, 'success');
    document.getElementById('create-name').value = '';
    refreshSoon(0);
  } catch (err) {
    notifyError(err, 'Create failed');
  } finally {
    clearInterval(tick);
    progress.hidden = true;
    form.removeAttribute('aria-busy');
  }
}

async function createBody() {
  const value = (id) => document.getElementById(id).value.trim();
  const body = {};
  if (value('create-name')) body.name = value('create-name');
  if (value('create-cpus')) body.cpus = Number(value('create-cpus'));
  if (value('create-memory')) body.memory_mb = Number(value('create-memory'));
  const source = value('create-image');
  if (source) Object.assign(body, await sourceField(source));
  const env = parseEnv(document.getElementById('create-env').value);
  if (Object.keys(env).length) body.env = env;
  const labels = parseLabels(value('create-labels'));
  if (Object.keys(labels).length) body.labels = labels;
  if (document.getElementById('create-keep-hot').checked) body.keep_hot = true;
  return body;
}
