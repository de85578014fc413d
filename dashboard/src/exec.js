// The sandbox page's exec box: POST /sandboxes/{id}/exec streamed as NDJSON.

import { request, readLines, seg } from './api.js';
import { h } from './ui.js';

const MAX_OUTPUT = 2 * 1024 * 1024; // characters kept in the output box

export function mountExec(root, sandboxId) {
  const form = root.querySelector('#exec-form');
  const input = root.querySelector('#exec-cmd');
  const output = root.querySelector('#exec-output');
  const exit = root.querySelector('#exec-exit');
  const submit = root.querySelector('#exec-submit');
  const stop = root.querySelector('#exec-cancel');
  let controller = null;
  let kept = 0;

  function append(text, cls) {
    if (!text) return;
    if (kept > MAX_OUTPUT) return;
    kept += text.length;
    const atBottom = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
    output.append(cls ? h('span', { class: cls }, text) : document.createTextNode(text));
    if (kept > MAX_OUTPUT) output.append(h('span', { class: 'muted' }, '\n[output truncated in the browser]\n'));
    if (atBottom) output.scrollTop = output.scrollHeight;
  }

  function setExit(text, failed) {
    exit.textContent = text;
    exit.classList.toggle('error-text', !!failed);
  }

  async function run(command) {
    controller = new AbortController();
    output.replaceChildren();
    kept = 0;
    setExit('running…');
    submit.disabled = true;
    stop.hidden = false;
    output.setAttribute('aria-busy', 'true');
    try {
      const response = await request('/sandboxes/' + seg(sandboxId) + '/exec', {
        method: 'POST',
        body: { cmd: ['sh', '-c', command] },
        headers: { Accept: 'application/x-ndjson' },
        signal: controller.signal,
      });
      const type = response.headers.get('Content-Type') || '';
      if (!type.includes('ndjson')) {
        // A daemon that answered buffered: one ExecResult.
        const result = await response.json();
        append(result.stdout);
        append(result.stderr, 'stderr');
        setExit(`exit ${result.exit_code}`, result.exit_code !== 0);
        return;
      }
      let ended = false;
      await readLines(response, (line) => {
        if (!line.trim()) return;
        let ev;
        try { ev = JSON.parse(line); } catch { append(line + '\n'); return; }
        if (ev.type === 'stdout') append(ev.data);
        else if (ev.type === 'stderr') append(ev.data, 'stderr');
        else if (ev.type === 'exit') { ended = true; setExit(`exit ${ev.exit_code}`, ev.exit_code !== 0); }
        else if (ev.type === 'error') {
          ended = true;
          append(`\n${ev.data}\n`, 'stderr');
          setExit(`error${ev.code ? ' (' + ev.code + ')' : ''}: ${ev.data}`, true);
        }
      });
      if (!ended) setExit('the stream ended without an exit code', true);
    } catch (e) {
      if (e.name === 'AbortError') setExit('cancelled (the command may still run)', true);
      else setExit(e.message, true);
    } finally {
      controller = null;
      submit.disabled = false;
      stop.hidden = true;
      output.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const command = input.value.trim();
    if (!command || controller) return;
    run(command);
  });
  stop.addEventListener('click', () => { if (controller) controller.abort(); });

  return { cancel() { if (controller) controller.abort(); } };
}
