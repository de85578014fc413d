// The sandbox's terminal: xterm.js + fit addon over GET /sandboxes/{id}/ws.
// Protocol: first text message {"type":"session","session_id":…}; binary out = terminal
// output; binary in = keystrokes; text in {"type":"resize","rows":R,"cols":C}.
// The process's exit closes with 1000.

import { Terminal } from '/ui/vendor/xterm.mjs';
import { FitAddon } from '/ui/vendor/addon-fit.mjs';
import { getKey, seg } from './api.js';

const encoder = new TextEncoder();

function testHooks() {
  if (!window.bhatti) window.bhatti = { term: null, socket: null, terminalReady: false };
  return window.bhatti;
}

/**
 * Mounts a terminal in `container` for one sandbox. ui: {state, button} elements for the
 * connection state text and the Reconnect button. Answers {connect(), dispose()}.
 */
export function mountTerminal(container, sandboxId, ui) {
  const hooks = testHooks();
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: 14,
    scrollback: 5000,
    theme: {
      background: '#111418', foreground: '#e6e8eb', cursor: '#f0b429',
      scrollbarSliderBackground: 'rgba(255, 255, 255, 0.15)',
      scrollbarSliderHoverBackground: 'rgba(255, 255, 255, 0.3)',
      scrollbarSliderActiveBackground: 'rgba(255, 255, 255, 0.4)',
    },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(container);
  hooks.term = term;
  hooks.socket = null;
  hooks.terminalReady = false;

  let socket = null;
  let disposed = false;
  let fitFrame = 0;

  const setState = (text) => { if (ui.state) ui.state.textContent = text; };

  function send(data) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(data);
  }

  function sendResize() {
    if (term.rows > 0 && term.cols > 0) {
      send(JSON.stringify({ type: 'resize', rows: term.rows, cols: term.cols }));
    }
  }

  function refit() {
    cancelAnimationFrame(fitFrame);
    fitFrame = requestAnimationFrame(() => {
      if (disposed || !container.isConnected || container.clientWidth === 0) return;
      try { fit.fit(); } catch { /* not measurable yet */ }
    });
  }

  const dataSub = term.onData((text) => send(encoder.encode(text)));
  const binarySub = term.onBinary((text) => {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    send(bytes);
  });
  const resizeSub = term.onResize(() => sendResize());
  const observer = new ResizeObserver(refit);
  observer.observe(container);
  window.addEventListener('resize', refit);
  window.addEventListener('pagehide', dispose);
  refit();

  function connect() {
    if (disposed) return;
    if (socket) {
      const old = socket;
      socket = null;
      old.onclose = null;
      try { old.close(1000); } catch { /* already closed */ }
    }
    if (ui.button) ui.button.hidden = true;
    hooks.terminalReady = false;
    term.reset();
    setState('Connecting…');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${location.host}/sandboxes/${seg(sandboxId)}/ws?token=${encodeURIComponent(getKey())}`;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    hooks.socket = ws;
    let opened = false;

    ws.onopen = () => {
      opened = true;
      refit();
      sendResize();
    };
    ws.onmessage = (e) => {
      if (ws !== socket) return;
      if (typeof e.data === 'string') {
        let msg = null;
        try { msg = JSON.parse(e.data); } catch { /* plain text */ }
        if (msg && msg.type === 'session') {
          hooks.terminalReady = true;
          if (!performance.getEntriesByName('bhatti:terminal-ready').length) performance.mark('bhatti:terminal-ready');
          setState(`Connected · session ${msg.session_id}`);
          sendResize();
        } else if (!msg) {
          term.write(e.data);
        }
        return;
      }
      term.write(new Uint8Array(e.data));
    };
    ws.onclose = (e) => {
      if (ws !== socket || disposed) return;
      hooks.terminalReady = false;
      if (e.code === 1000) {
        term.write('\r\n\x1b[2m[process exited]\x1b[0m\r\n');
        setState(`Shell exited${e.reason ? ' (' + e.reason + ')' : ''}`);
        if (ui.button) { ui.button.textContent = 'New shell'; ui.button.hidden = false; }
      } else {
        term.write('\r\n\x1b[2m[disconnected]\x1b[0m\r\n');
        const why = opened ? `Disconnected (code ${e.code}${e.reason ? ': ' + e.reason : ''})`
          : 'Could not connect: the sandbox may be stopped or failed';
        setState(why);
        if (ui.button) { ui.button.textContent = 'Reconnect'; ui.button.hidden = false; }
      }
    };
  }

  function dispose() {
    if (disposed) return;
    disposed = true;
    window.removeEventListener('resize', refit);
    window.removeEventListener('pagehide', dispose);
    observer.disconnect();
    cancelAnimationFrame(fitFrame);
    dataSub.dispose();
    binarySub.dispose();
    resizeSub.dispose();
    if (socket) {
      const old = socket;
      socket = null;
      old.onclose = null;
      // Leaving the page detaches: the shell keeps running and the next connect reattaches.
      try { old.close(1000, 'detach'); } catch { /* already closed */ }
    }
    term.dispose();
    if (hooks.term === term) { hooks.term = null; hooks.socket = null; hooks.terminalReady = false; }
  }

  if (ui.button) ui.button.addEventListener('click', connect);
  return { connect, dispose, focus: () => term.focus() };
}
