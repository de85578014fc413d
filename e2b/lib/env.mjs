// Shared helpers for the E2B-compatibility suite.
//
// Import this module FIRST in every test file: it checks the environment at
// load time, so a missing variable fails the file with one clear message
// before any SDK call is made.

import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { Sandbox } from 'e2b'

export { sleep }

const DESCRIPTIONS = {
  E2B_API_URL: 'the E2B control API of the daemon, e.g. http://127.0.0.1:8080/e2b/api',
  E2B_SANDBOX_URL: 'the E2B envd endpoint of the daemon, e.g. http://127.0.0.1:8080/e2b/envd',
  E2B_API_KEY: "a bhatti API key (the SDK sends it as X-API-KEY)",
  BHATTI_URL: "the daemon's base URL, for cross-checks through bhatti's own REST API, e.g. http://127.0.0.1:8080",
  BHATTI_OTHER_KEY: "a second bhatti user's API key (isolation tests)",
}

/** The variables every file needs. */
export const BASE_VARS = ['E2B_API_URL', 'E2B_SANDBOX_URL', 'E2B_API_KEY', 'BHATTI_URL']

/**
 * Returns { NAME: value } for the given variables, or throws one error that
 * names every missing variable and what it should hold.
 */
export function requireEnv(names = BASE_VARS) {
  const missing = names.filter((n) => !process.env[n])
  if (missing.length > 0) {
    const lines = missing.map((n) => `  ${n}: ${DESCRIPTIONS[n] ?? ''}`)
    throw new Error(
      `Missing required environment variable(s) for the E2B compatibility suite:\n${lines.join('\n')}\n` +
        'Example: E2B_API_URL=http://127.0.0.1:8080/e2b/api E2B_SANDBOX_URL=http://127.0.0.1:8080/e2b/envd ' +
        'E2B_API_KEY=<key> BHATTI_URL=http://127.0.0.1:8080 BHATTI_OTHER_KEY=<other key> npm test'
    )
  }
  if (/^(true|1)$/i.test(process.env.E2B_DEBUG ?? '')) {
    throw new Error('E2B_DEBUG is set: the SDK would bypass E2B_API_URL and talk to a local envd. Unset it.')
  }
  return Object.fromEntries(names.map((n) => [n, process.env[n]]))
}

/** Per-test options: a microVM under emulation is slow, be generous. */
export const T = { timeout: 120_000 }
/** Hook options for before()/after() that create or kill sandboxes. */
export const HOOK = { timeout: 180_000 }

/** Every sandbox from Sandbox.list(opts), walking all pages. */
export async function listAll(opts) {
  const paginator = Sandbox.list(opts)
  const items = []
  while (paginator.hasNext) items.push(...(await paginator.nextItems()))
  return items
}

/** bhatti's own GET /sandboxes for the user owning `key`. */
export async function bhattiSandboxes(key = process.env.E2B_API_KEY) {
  const base = process.env.BHATTI_URL.replace(/\/+$/, '')
  const res = await fetch(`${base}/sandboxes`, {
    headers: { Authorization: `Bearer ${key}` },
  })
  const text = await res.text()
  if (res.status !== 200) {
    throw new Error(`GET ${base}/sandboxes answered ${res.status}: ${text}`)
  }
  const body = JSON.parse(text)
  if (!Array.isArray(body)) throw new Error(`GET ${base}/sandboxes did not answer a JSON array: ${text}`)
  return body
}

/**
 * Polls `fn` every `intervalMs` until it returns a truthy value, which is
 * returned. Throws `message` (plus the last value seen) after `timeoutMs`.
 * Errors thrown by `fn` propagate immediately.
 */
export async function waitFor(fn, { timeoutMs = 10_000, intervalMs = 200, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    last = await fn()
    if (last) return last
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message} (last value: ${JSON.stringify(last)})`)
    }
    await sleep(intervalMs)
  }
}

/** Resolves to how the promise settled and how long it took. */
export async function settle(promise) {
  const started = Date.now()
  try {
    return { ok: true, value: await promise, ms: Date.now() - started }
  } catch (error) {
    return { ok: false, error, ms: Date.now() - started }
  }
}

/** Best-effort cleanup for after(): never throws. */
export async function killQuietly(sandboxId, opts) {
  if (!sandboxId) return
  try {
    await Sandbox.kill(sandboxId, opts)
  } catch (err) {
    console.error(`cleanup: Sandbox.kill(${sandboxId}) failed: ${err?.message ?? err}`)
  }
}

export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex')
}

/** An ArrayBuffer holding exactly the bytes of `view` (Buffers may share a pool). */
export function toArrayBuffer(view) {
  return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength)
}

/** Asserts |actual - expected| <= tolerance for two Dates / ms values. */
export function approxMs(actual, expected, tolerance) {
  return Math.abs(Number(actual) - Number(expected)) <= tolerance
}
