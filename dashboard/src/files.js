// The sandbox page's file browser: list, enter, view, download, upload.

import { api, request, seg } from './api.js';
import { h, formatBytes, formatTime } from './ui.js';

const VIEW_LIMIT = 1024 * 1024; // show at most the first 1 MiB of a file

export function joinPath(dir, name) {
  return (dir.replace(/\/+$/, '') || '') + '/' + name;
}

export function parentPath(path) {
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return cut <= 0 ? '/' : trimmed.slice(0, cut);
}

/** Wires the Files section inside `root` for one sandbox. Answers {load(path)}. */
export function mountFiles(root, sandboxId) {
  const $ = (sel) => root.querySelector(sel);
  const pathInput = $('#files-path');
  const list = $('#files-list');
  const status = $('#files-status');
  const upload = $('#upload-file');
  const viewer = $('#file-view');
  const viewerTitle = $('#file-view-title');
  const viewerNote = $('#file-view-note');
  const viewerBody = $('#file-view-body');
  const base = '/sandboxes/' + seg(sandboxId) + '/files?path=';
  let generation = 0;

  const say = (text, error = false) => {
    status.textContent = text;
    status.classList.toggle('error-text', error);
  };

  async function load(path) {
    const dir = (path || '').trim() || '/';
    pathInput.value = dir;
    const mine = ++generation;
    list.setAttribute('aria-busy', 'true');
    say(`Listing ${dir}…`);
    try {
      const entries = await api(base + encodeURIComponent(dir) + '&ls=true');
      if (mine !== generation) return;
      renderList(dir, Array.isArray(entries) ? entries : []);
      say(`${dir}: ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`);
    } catch (e) {
      if (mine !== generation) return;
      list.replaceChildren();
      say(e.message, true);
    } finally {
      if (mine === generation) list.removeAttribute('aria-busy');
    }
  }

  function renderList(dir, entries) {
    entries.sort((a, b) => (b.is_dir - a.is_dir) || a.name.localeCompare(b.name));
    const items = entries.map((entry) => {
      const full = joinPath(dir, entry.name);
      const li = h('li', { dataset: { name: entry.name, dir: String(!!entry.is_dir) },
        class: entry.is_dir ? 'is-dir' : 'is-file' });
      if (entry.is_dir) {
        li.append(h('button', { type: 'button', class: 'link-button entry-name', dataset: { open: full },
          'aria-label': `Open directory ${entry.name}` }, entry.name + '/'));
      } else {
        li.append(
          h('button', { type: 'button', class: 'link-button entry-name', dataset: { view: full },
            'aria-label': `View ${entry.name}` }, entry.name),
          h('span', { class: 'muted entry-size' }, formatBytes(entry.size)),
          h('button', { type: 'button', class: 'small', dataset: { download: full, filename: entry.name },
            'aria-label': `Download ${entry.name}` }, 'Download'));
      }
      li.append(h('span', { class: 'muted entry-meta' }, `${entry.mode || ''} ${formatTime(entry.mtime)}`));
      return li;
    });
    list.replaceChildren(...items);
  }

  async function view(path) {
    viewer.hidden = false;
    viewerTitle.textContent = path;
    viewerNote.textContent = 'Loading…';
    viewerBody.textContent = '';
    try {
      const response = await request(base + encodeURIComponent(path) + '&max_bytes=' + VIEW_LIMIT);
      const total = Number(response.headers.get('X-File-Size'));
      const bytes = new Uint8Array(await response.arrayBuffer());
      const sample = bytes.subarray(0, 8192);
      if (sample.includes(0)) {
        viewerNote.textContent = `Binary file (${formatBytes(total || bytes.length)}): download it to see it.`;
        return;
      }
      viewerBody.textContent = new TextDecoder().decode(bytes);
      viewerNote.textContent = total > bytes.length
        ? `Showing the first ${formatBytes(bytes.length)} of ${formatBytes(total)}.`
        : `${formatBytes(bytes.length)}`;
    } catch (e) {
      viewerNote.textContent = e.message;
    }
  }

  async function download(path, filename, button) {
    button.disabled = true;
    say(`Downloading ${filename}…`);
    try {
      const response = await request(base + encodeURIComponent(path));
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: filename, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      say(`downloaded ${filename}`);
    } catch (e) {
      say(e.message, true);
    } finally {
      button.disabled = false;
    }
  }

  async function uploadFiles(files) {
    const dir = pathInput.value.trim() || '/';
    const done = [];
    upload.disabled = true;
    try {
      for (const file of files) {
        say(`Uploading ${file.name}…`);
        await request(base + encodeURIComponent(joinPath(dir, file.name)), {
          method: 'PUT', body: file, headers: { 'Content-Type': 'application/octet-stream' },
        });
        done.push(file.name);
      }
      await load(dir);
      say(`uploaded ${done.join(', ')}`);
    } catch (e) {
      say((done.length ? `uploaded ${done.join(', ')}; ` : '') + e.message, true);
    } finally {
      upload.disabled = false;
      upload.value = '';
    }
  }

  $('#files-form').addEventListener('submit', (e) => { e.preventDefault(); load(pathInput.value); });
  $('#files-up').addEventListener('click', () => load(parentPath(pathInput.value || '/')));
  $('#file-view-close').addEventListener('click', () => { viewer.hidden = true; viewerBody.textContent = ''; });
  upload.addEventListener('change', () => { if (upload.files.length) uploadFiles([...upload.files]); });
  list.addEventListener('click', (e) => {
    const button = e.target.closest('button');
    if (!button) return;
    if (button.dataset.open) load(button.dataset.open);
    else if (button.dataset.view) view(button.dataset.view);
    else if (button.dataset.download) download(button.dataset.download, button.dataset.filename, button);
  });

  return { load };
}
