// Sandbox timeout expiry: by default an expired sandbox is killed; with
// lifecycle.onTimeout 'pause' it is paused and can be resumed with connect.

import { describe, test, after } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox, SandboxNotFoundError } from 'e2b'
import { requireEnv, T, HOOK, killQuietly, waitFor } from '../lib/env.mjs'

requireEnv()

const EXPIRY = { timeoutMs: 60_000, intervalMs: 1_000 }
const LONG = { timeout: 180_000 }

describe('sandbox timeout expiry', () => {
  const created = []
  after(async () => {
    for (const id of created) await killQuietly(id)
  }, HOOK)

  test('a sandbox created with timeoutMs 5000 is killed when it expires', LONG, async () => {
    const sandbox = await Sandbox.create({ timeoutMs: 5_000, metadata: { suite: 'e2b-timeout-kill' } })
    const id = sandbox.sandboxId
    created.push(id)

    await waitFor(async () => !(await sandbox.isRunning()), {
      ...EXPIRY,
      message: `sandbox ${id} to stop running after its 5 s timeout`,
    })

    await assert.rejects(Sandbox.getInfo(id), SandboxNotFoundError)
    await assert.rejects(Sandbox.connect(id), SandboxNotFoundError)
    assert.equal(await Sandbox.kill(id), false)
  })

  test("with lifecycle { onTimeout: 'pause' } an expired sandbox is paused and connect resumes it", LONG, async () => {
    const sandbox = await Sandbox.create({
      timeoutMs: 5_000,
      lifecycle: { onTimeout: 'pause' },
      metadata: { suite: 'e2b-timeout-pause' },
    })
    const id = sandbox.sandboxId
    created.push(id)

    const paused = await waitFor(
      async () => {
        const info = await Sandbox.getInfo(id)
        return info.state === 'paused' ? info : null
      },
      { ...EXPIRY, message: `sandbox ${id} to be paused after its 5 s timeout` }
    )
    if (paused.lifecycle) assert.equal(paused.lifecycle.onTimeout, 'pause')

    const resumed = await Sandbox.connect(id, { timeoutMs: 120_000 })
    assert.equal(resumed.sandboxId, id)
    assert.equal((await Sandbox.getInfo(id)).state, 'running')
    const r = await resumed.commands.run('echo back')
    assert.equal(r.stdout, 'back\n')
  })
})
