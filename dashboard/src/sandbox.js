// The sandbox page (#/sandbox/<id>): header and actions, terminal, exec, files, ports, events.

import { api, seg } from './api.js';
import { h, announce, notifyError, thermalBadge, statusBadge, labelList, formatMemory, formatTime } from './ui.js';
import { openEvents, statusAfter, describeEvent } from './events.js';
import { sandboxAction } from './list.js';
import { mountFiles } from './files.js';
import { mountExec } from './exec.js';
import { mountPorts } from './ports.js';

const MAX_EVENTS = 100;

/**
 * Shows the page for sandbox `id` inside `host` and answers a dispose function that
 * closes its terminal socket, event stream and running exec.
 */
export function showSandbox(host, id, navigate) {
  const page = document.getElementById('tpl-sandbox').content.firstElementChild.cloneNode(true);
  page.dataset.id = id;
  host.replaceChildren(page);
  const $ = (sel) => page.querySelector(sel);
  let sb = { id, name: id };
  let disposed = false;
  let terminal = null;
  let terminalModule = null;
  const cleanups = [];

  const files = mountFiles(page, id);
  const exec = mountExec(page, id);
  const ports = mountPorts(page, id);
  cleanups.push(() => exec.cancel());

  function renderHeader() {
    $('#sb-name').textContent = sb.name;
    $('#sb-id').textContent = sb.id;
    $('#sb-status').replaceChildren(statusBadge(sb.status));
    $('#sb-thermal').replaceChildren(thermalBadge(sb.thermal));
    $('#sb-labels').replaceChildren(labelList(sb.labels));
    $('#sb-shape').textContent = sb.cpus ? `${sb.cpus} CPU · ${formatMemory(sb.memory_mb)}` : '';
    $('#sb-image').textContent = sb.image || sb.template_id || '—';
    $('#sb-created').textContent = formatTime(sb.created_at);
    $('#sb-reason').textContent = sb.reason || '';
    $('#sb-reason').hidden = !sb.reason;
    $('#sb-stop').disabled = sb.status === 'stopped' || sb.status === 'destroyed';
    $('#sb-start').disabled = sb.status === 'running' || sb.status === 'destroyed';
    $('#sb-fork').disabled = sb.status === 'destroyed';
    $('#sb-destroy').disabled = sb.status === 'destroyed';
    document.title = `${sb.name} · bhatti`;
  }

  async function startTerminal() {
    $('#term-connect').hidden = true;
    if (disposed || terminal) { if (terminal) terminal.connect(); return; }
    $('#term-state').textContent = 'Loading terminal…';
    try {
      terminalModule = terminalModule || await import('./terminal.js');
    } catch (e) {
      $('#term-state').textContent = 'The terminal could not be loaded: ' + e.message;
      return;
    }
    if (disposed) return;
    terminal = terminalModule.mountTerminal($('#terminal'), id, {
      state: $('#term-state'), button: $('#term-reconnect'),
    });
    terminal.connect();
  }

  function wakeViews() {
    startTerminal();
    files.load($('#files-path').value || '/workspace');
    ports.loadPorts();
  }

  async function act(action, button) {
    const result = await sandboxAction(action, sb, button);
    if (!result || disposed) return;
    if (action === 'destroy') { navigate('#/'); return; }
    if (action === 'fork') return;
    if (result.id) { sb = result; renderHeader(); }
    if (action === 'start') wakeViews();
  }

  for (const action of ['stop', 'start', 'destroy', 'fork']) {
    const button = $('#sb-' + action);
    button.addEventListener('click', () => act(action, button));
  }
  $('#term-connect').addEventListener('click', () => startTerminal());

  // Live events for this sandbox: the Events list and the header's status and thermal.
  // The stream first replays the retained events (history), then goes live; only live ones
  // change the header, since GET /sandboxes/{id} already says the state of now.
  const list = $('#events');
  const openedAt = Date.now();
  const stream = openEvents({
    sandbox: id,
    history: true,
    onEvent(ev) {
      if (disposed) return; // the daemon filters by ?sandbox=
      const live = !ev.time || Date.parse(ev.time) >= openedAt - 2000;
      const li = h('li', { dataset: { type: ev.type } },
        h('time', { datetime: ev.time || '' }, ev.time ? new Date(ev.time).toLocaleTimeString() : ''), ' ',
        h('span', { class: 'badge event-' + ev.type }, ev.type), ' ',
        h('span', {}, describeEvent(ev).slice(ev.type.length).trim()));
      list.prepend(li);
      while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
      $('#events-empty').hidden = true;
      if (!live) return;
      const before = `${sb.status}/${sb.thermal}`;
      if (ev.thermal) sb.thermal = ev.thermal;
      const status = statusAfter(ev.type);
      if (status) sb.status = status;
      renderHeader();
      if (`${sb.status}/${sb.thermal}` !== before) {
        announce(`${sb.name} is ${sb.status}, ${sb.thermal}`);
      }
      if (ev.type === 'destroyed') notifyError(new Error(`${sb.name} was destroyed`));
    },
    onState(state, detail) {
      const el = $('#events-state');
      if (el) el.textContent = state === 'open' ? 'live' : state === 'retry' ? 'reconnecting…' : `unavailable: ${detail}`;
    },
  });
  cleanups.push(() => stream.close());

  (async () => {
    try {
      sb = await api('/sandboxes/' + seg(id));
    } catch (e) {
      if (disposed) return;
      notifyError(e, 'Loading the sandbox failed');
      $('#sb-name').textContent = id;
      $('#term-state').textContent = e.message;
      return;
    }
    if (disposed) return;
    renderHeader();
    ports.loadRules();
    if (sb.status === 'running') {
      wakeViews();
    } else {
      $('#term-state').textContent = `The sandbox is ${sb.status}: start it to open a terminal.`;
      $('#term-connect').hidden = false;
      $('#files-status').textContent = `The sandbox is ${sb.status}.`;
      $('#ports-status').textContent = `The sandbox is ${sb.status}.`;
    }
  })();

  return function dispose() {
    disposed = true;
    if (terminal) terminal.dispose();
    for (const fn of cleanups) fn();
  };
}
