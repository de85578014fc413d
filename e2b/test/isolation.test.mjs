// Isolation: another user's API key cannot see, connect to, kill or change a
// sandbox, and envd traffic for a sandbox needs that sandbox's own access token.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox, SandboxError, AuthenticationError, SandboxNotFoundError } from 'e2b'
import { requireEnv, BASE_VARS, T, HOOK, listAll, bhattiSandboxes, killQuietly, settle } from '../lib/env.mjs'

const env = requireEnv([...BASE_VARS, 'BHATTI_OTHER_KEY'])
const OTHER = { apiKey: env.BHATTI_OTHER_KEY }
const ENVD = env.E2B_SANDBOX_URL.replace(/\/+$/, '')

/** An SDK error (SandboxError and its subclasses, or AuthenticationError) — not a bug in the test. */
function isSdkRefusal(err) {
  return err instanceof SandboxError || err instanceof AuthenticationError
}

async function assertRefused(promise, what) {
  const outcome = await settle(promise)
  assert.equal(outcome.ok, false, `${what} succeeded: ${JSON.stringify(outcome.value)}`)
  assert.ok(isSdkRefusal(outcome.error), `${what} failed oddly: ${outcome.error?.constructor?.name}: ${outcome.error?.message}`)
}

/** A raw envd Connect RPC, for headers the SDK would never send. */
function rawEnvdList(sandboxId, token) {
  const headers = {
    'E2b-Sandbox-Id': sandboxId,
    'Content-Type': 'application/json',
    'Connect-Protocol-Version': '1',
  }
  if (token !== undefined) headers['X-Access-Token'] = token
  return fetch(`${ENVD}/process.Process/List`, { method: 'POST', headers, body: '{}' })
}

const REFUSED_STATUSES = [401, 403, 404, 502]

describe('isolation between users and sandboxes', () => {
  /** @type {Sandbox} */
  let victim
  let victimId
  let envdVersion
  let intruderId

  /** A Sandbox object for the victim's id built with a chosen envd access token. */
  function withToken(envdAccessToken) {
    return new Sandbox({ sandboxId: victimId, envdVersion, envdAccessToken })
  }

  async function assertVictimUnharmed() {
    assert.equal(await victim.isRunning(), true, 'the sandbox is no longer running')
    const info = await Sandbox.getInfo(victimId)
    assert.equal(info.state, 'running')
  }

  before(async () => {
    victim = await Sandbox.create({ timeoutMs: 600_000, metadata: { suite: 'e2b-isolation' } })
    victimId = victim.sandboxId
    envdVersion = (await victim.getInfo()).envdVersion
  }, HOOK)

  after(async () => {
    await killQuietly(intruderId, OTHER)
    await killQuietly(victimId)
  }, HOOK)

  test("the owner's Sandbox.list() and bhatti list contain the sandbox (control)", T, async () => {
    assert.ok((await listAll()).some((s) => s.sandboxId === victimId))
    assert.ok((await bhattiSandboxes()).some((s) => s.id === victimId))
  })

  test("another user's Sandbox.connect(id) rejects with SandboxNotFoundError", T, async () => {
    await assert.rejects(Sandbox.connect(victimId, OTHER), SandboxNotFoundError)
  })

  test("another user's Sandbox.getInfo(id) rejects with SandboxNotFoundError", T, async () => {
    await assert.rejects(Sandbox.getInfo(victimId, OTHER), SandboxNotFoundError)
  })

  test("another user's Sandbox.kill(id) returns false and the sandbox keeps running", T, async () => {
    assert.equal(await Sandbox.kill(victimId, OTHER), false)
    await assertVictimUnharmed()
  })

  test("another user can neither pause the sandbox nor change its timeout", T, async () => {
    const before = await Sandbox.getInfo(victimId)
    await assert.rejects(Sandbox.pause(victimId, OTHER), SandboxNotFoundError)
    await assert.rejects(Sandbox.setTimeout(victimId, 60_000, OTHER), SandboxNotFoundError)
    await assertVictimUnharmed()
    const after = await Sandbox.getInfo(victimId)
    assert.equal(after.endAt.getTime(), before.endAt.getTime(), 'endAt changed')
  })

  test("another user's Sandbox.list() and bhatti GET /sandboxes do not contain the sandbox", T, async () => {
    const theirs = await listAll(OTHER)
    assert.ok(!theirs.some((s) => s.sandboxId === victimId), "the sandbox is in the other user's Sandbox.list()")
    const theirsInBhatti = await bhattiSandboxes(env.BHATTI_OTHER_KEY)
    assert.ok(!theirsInBhatti.some((s) => s.id === victimId), "the sandbox is in the other user's bhatti list")
  })

  test('envd refuses SDK calls made with a wrong access token', T, async () => {
    const forged = withToken('wrong')
    await assertRefused(forged.commands.run('touch /tmp/pwned-run'), 'commands.run with a wrong token')
    await assertRefused(forged.commands.list(), 'commands.list with a wrong token')
    await assertRefused(forged.files.read('/etc/hostname'), 'files.read with a wrong token')
    await assertRefused(forged.files.write('/tmp/pwned-write', 'x'), 'files.write with a wrong token')

    const check = await victim.commands.run('ls /tmp/pwned-run /tmp/pwned-write 2>/dev/null; true')
    assert.equal(check.stdout, '', 'a wrong-token call changed the sandbox')
  })

  test('envd refuses SDK calls made without an access token', T, async () => {
    const tokenless = withToken(undefined)
    await assertRefused(tokenless.commands.run('touch /tmp/pwned-notoken'), 'commands.run without a token')
    await assertRefused(tokenless.files.read('/etc/hostname'), 'files.read without a token')
    const check = await victim.commands.run('ls /tmp/pwned-notoken 2>/dev/null; true')
    assert.equal(check.stdout, '', 'a tokenless call changed the sandbox')
  })

  test('raw envd requests with a wrong or missing token are refused', T, async () => {
    const wrong = await rawEnvdList(victimId, 'wrong')
    assert.ok(REFUSED_STATUSES.includes(wrong.status), `wrong token answered ${wrong.status}: ${await wrong.text()}`)

    const missing = await rawEnvdList(victimId, undefined)
    assert.ok(REFUSED_STATUSES.includes(missing.status), `no token answered ${missing.status}: ${await missing.text()}`)

    const file = await fetch(`${ENVD}/files?path=${encodeURIComponent('/etc/hostname')}`, {
      headers: { 'E2b-Sandbox-Id': victimId, 'X-Access-Token': 'wrong' },
    })
    assert.ok(REFUSED_STATUSES.includes(file.status), `GET /files with a wrong token answered ${file.status}`)
  })

  test("another sandbox's valid access token does not open this sandbox", T, async () => {
    const intruder = await Sandbox.create({ ...OTHER, timeoutMs: 300_000, metadata: { suite: 'e2b-isolation-intruder' } })
    intruderId = intruder.sandboxId
    // `envdAccessToken` is TypeScript-protected, but a plain property at runtime.
    const token = intruder.envdAccessToken
    assert.equal(typeof token, 'string', 'create returned no envdAccessToken: envd traffic is unauthenticated')

    const own = await intruder.commands.run('echo mine')
    assert.equal(own.stdout, 'mine\n', "the intruder's token does not even work for its own sandbox")

    const borrowed = withToken(token)
    await assertRefused(borrowed.commands.run('touch /tmp/pwned-borrowed'), "commands.run with another sandbox's token")
    await assertRefused(borrowed.files.read('/etc/hostname'), "files.read with another sandbox's token")
    const raw = await rawEnvdList(victimId, token)
    assert.ok(REFUSED_STATUSES.includes(raw.status), `another sandbox's token answered ${raw.status}`)

    const check = await victim.commands.run('ls /tmp/pwned-borrowed 2>/dev/null; true')
    assert.equal(check.stdout, '')
  })
})
