// bhatti dashboard: start-up, sign-in, hash routes (#/ and #/sandbox/<id>), the live event stream.

import { api, getKey, setKey, clearKey, onUnauthorized } from './api.js';
import { notify, notifyError, clearNotice, announce } from './ui.js';
import { openEvents } from './events.js';
import { initList, setSandboxes, refresh, handleEvent } from './list.js';
import { showSandbox } from './sandbox.js';

if (!window.bhatti) window.bhatti = { term: null, socket: null, terminalReady: false };

const views = {
  signIn: document.getElementById('sign-in-view'),
  list: document.getElementById('sandbox-list'),
  sandbox: document.getElementById('sandbox-view'),
};
let globalStream = null;
let disposePage = null;
let signedIn = false;

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function showView(name) {
  for (const [key, el] of Object.entries(views)) el.hidden = key !== name;
  document.getElementById('sign-out').hidden = !signedIn;
  document.getElementById('main-nav').hidden = !signedIn;
}

function leavePage() {
  if (disposePage) { disposePage(); disposePage = null; }
  views.sandbox.replaceChildren();
}

function route() {
  if (!signedIn) {
    leavePage();
    showView('signIn');
    document.title = 'Sign in · bhatti';
    return;
  }
  const match = /^#\/sandbox\/(.+)$/.exec(location.hash);
  leavePage();
  if (match) {
    showView('sandbox');
    disposePage = showSandbox(views.sandbox, decodeURIComponent(match[1]), navigate);
    const heading = views.sandbox.querySelector('h2');
    if (heading) heading.focus({ preventScroll: true });
  } else {
    showView('list');
    document.title = 'Sandboxes · bhatti';
    refresh();
  }
  const home = document.querySelector('#main-nav a[href="#/"]');
  if (match) home.removeAttribute('aria-current');
  else home.setAttribute('aria-current', 'page');
}

function startGlobalStream() {
  if (globalStream) globalStream.close();
  globalStream = openEvents({
    onEvent: handleEvent,
    onState(state, detail) {
      const el = document.getElementById('live-state');
      el.textContent = state === 'open' ? 'Live' : state === 'retry' ? 'Reconnecting…' : 'Live updates unavailable';
      el.title = detail || '';
      el.className = 'live-state live-' + state;
    },
    onUnauthorized: (err) => signOut('key refused: ' + err.message),
  });
}

function signOut(reason) {
  signedIn = false;
  clearKey();
  if (globalStream) { globalStream.close(); globalStream = null; }
  setSandboxes([]);
  leavePage();
  showView('signIn');
  document.getElementById('api-key').value = '';
  if (reason) notify(reason, 'error');
  else { clearNotice(); announce('Signed out'); }
  document.getElementById('api-key').focus();
}

/** Checks a key with GET /sandboxes; answers the list, or throws (401: "key refused"). */
async function signIn(key) {
  const list = await api('/sandboxes', { key });
  setKey(key);
  signedIn = true;
  setSandboxes(list);
  startGlobalStream();
  return list;
}

async function onSignInSubmit(e) {
  e.preventDefault();
  const input = document.getElementById('api-key');
  const button = document.getElementById('sign-in-submit');
  const error = document.getElementById('sign-in-error');
  const key = input.value.trim();
  error.textContent = '';
  if (!key) { error.textContent = 'Paste an API key.'; input.focus(); return; }
  button.disabled = true;
  try {
    await signIn(key);
    input.value = '';
    clearNotice();
    announce('Signed in');
    if (!location.hash || location.hash === '#') location.hash = '#/';
    route();
  } catch (err) {
    const message = err.status === 401 ? 'key refused' : err.message;
    error.textContent = message;
    notify(message, 'error');
    input.focus();
    input.select();
  } finally {
    button.disabled = false;
  }
}

function init() {
  onUnauthorized(() => { if (signedIn) signOut('key refused: sign in again'); });
  initList(navigate);
  document.getElementById('sign-in').addEventListener('submit', onSignInSubmit);
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  document.getElementById('notice-dismiss').addEventListener('click', clearNotice);
  window.addEventListener('hashchange', route);

  const key = getKey();
  if (!key) { route(); return; }
  showView('list');
  signIn(key).then(route, (err) => {
    if (err.status === 401) signOut('key refused');
    else { signedIn = false; route(); notifyError(err, 'Cannot reach the daemon'); }
  });
}

init();
