// The sandbox page's ports: listening ports (through the API proxy) and public publish rules.

import { api, seg } from './api.js';
import { h, busy, notify, notifyError } from './ui.js';

export function mountPorts(root, sandboxId) {
  const $ = (sel) => root.querySelector(sel);
  const portsList = $('#ports-list');
  const portsStatus = $('#ports-status');
  const rulesList = $('#publish-list');
  const form = $('#publish-form');
  const base = '/sandboxes/' + seg(sandboxId);

  async function loadPorts() {
    portsStatus.textContent = 'Looking for listening ports…';
    try {
      const ports = await api(base + '/ports');
      portsList.replaceChildren(...(ports || []).map((p) => h('li', { dataset: { port: p.container_port } },
        h('strong', {}, String(p.container_port)), ' ',
        h('code', { title: 'path through the API proxy (needs the API key)' }, p.proxy_url),
        ' ',
        h('button', { type: 'button', class: 'small', dataset: { publish: p.container_port },
          'aria-label': `Publish port ${p.container_port}` }, 'Publish'))));
      portsStatus.textContent = ports && ports.length ? '' : 'No listening TCP ports.';
    } catch (e) {
      portsList.replaceChildren();
      portsStatus.textContent = e.message;
    }
  }

  async function loadRules() {
    try {
      const rules = await api(base + '/publish');
      rulesList.replaceChildren(...(rules || []).map((r) => h('li', { dataset: { port: r.port } },
        h('strong', {}, String(r.port)), ' → ',
        h('a', { href: r.url, target: '_blank', rel: 'noopener noreferrer' }, r.url),
        h('span', { class: 'muted' }, ` (${r.alias})`), ' ',
        h('button', { type: 'button', class: 'small danger', dataset: { unpublish: r.port },
          'aria-label': `Unpublish port ${r.port}` }, 'Unpublish'))));
      if (!rules || !rules.length) rulesList.replaceChildren(h('li', { class: 'muted' }, 'Nothing published.'));
    } catch (e) {
      rulesList.replaceChildren(h('li', { class: 'error-text' }, e.message));
    }
  }

  async function publish(port, alias, button) {
    const body = { port: Number(port) };
    if (alias) body.alias = alias;
    try {
      const rule = await busy(button, 'Publishing…', () => api(base + '/publish', { method: 'POST', body }));
      notify(`published port ${rule.port} at ${rule.url}`, 'success');
      await loadRules();
    } catch (e) {
      notifyError(e, 'Publish failed');
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const port = $('#publish-port').value.trim();
    if (!port) return;
    publish(port, $('#publish-alias').value.trim(), $('#publish-submit')).then(() => form.reset());
  });
  $('#ports-refresh').addEventListener('click', (e) => busy(e.currentTarget, 'Refreshing…',
    () => Promise.all([loadPorts(), loadRules()])));
  portsList.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-publish]');
    if (button) publish(button.dataset.publish, '', button);
  });
  rulesList.addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-unpublish]');
    if (!button) return;
    try {
      await busy(button, 'Unpublishing…', () => api(`${base}/publish/${seg(button.dataset.unpublish)}`, { method: 'DELETE' }));
      notify(`unpublished port ${button.dataset.unpublish}`, 'success');
      await loadRules();
    } catch (err) {
      notifyError(err, 'Unpublish failed');
    }
  });

  return { loadPorts, loadRules };
}
