// pause() and resume-by-connect: a paused sandbox keeps its memory, so a
// process that was counting when it was paused is the same process, still
// counting, after Sandbox.connect() resumes it.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox } from 'e2b'
import { requireEnv, T, HOOK, listAll, killQuietly, waitFor, sleep } from '../lib/env.mjs'

requireEnv()

const COUNTER =
  `sh -c 'echo $$ > /tmp/pid; i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.1; done'`

describe('pause and resume', () => {
  /** @type {Sandbox} */
  let sandbox
  let sandboxId
  let handlePid
  let shellPid
  let countBeforePause

  async function readCounter(sbx) {
    const r = await sbx.commands.run('cat /tmp/n')
    return Number.parseInt(r.stdout.trim(), 10)
  }

  before(async () => {
    sandbox = await Sandbox.create({ timeoutMs: 600_000, metadata: { suite: 'e2b-pause' } })
    sandboxId = sandbox.sandboxId
  }, HOOK)

  after(() => killQuietly(sandboxId), HOOK)

  test('a background counter process is running before the pause', T, async () => {
    // timeoutMs 0: no Connect-Timeout deadline, so the process outlives this request.
    const handle = await sandbox.commands.run(COUNTER, { background: true, timeoutMs: 0 })
    handlePid = handle.pid
    await waitFor(async () => (await readCounter(sandbox)) >= 5, {
      timeoutMs: 30_000,
      message: 'the counter to reach 5',
    })
    shellPid = (await sandbox.commands.run('cat /tmp/pid')).stdout.trim()
    assert.match(shellPid, /^\d+$/)
    // The process must keep running without a client attached.
    await handle.disconnect()
  })

  test('pause() returns true and the sandbox is reported paused', T, async () => {
    countBeforePause = await readCounter(sandbox)
    assert.equal(await sandbox.pause(), true)

    const info = await Sandbox.getInfo(sandboxId)
    assert.equal(info.state, 'paused')

    const listed = (await listAll()).find((s) => s.sandboxId === sandboxId)
    assert.ok(listed, 'paused sandbox missing from Sandbox.list()')
    assert.equal(listed.state, 'paused')

    const pausedOnly = await listAll({ query: { state: ['paused'] } })
    assert.ok(pausedOnly.some((s) => s.sandboxId === sandboxId), 'paused sandbox missing from list(state=paused)')
  })

  test('pausing an already paused sandbox returns false', T, async () => {
    assert.equal(await Sandbox.pause(sandboxId), false)
  })

  test('Sandbox.connect(id) resumes it and the same process keeps counting', T, async () => {
    await sleep(2_000) // stay paused for a moment

    const resumed = await Sandbox.connect(sandboxId)
    assert.equal(resumed.sandboxId, sandboxId)
    assert.equal((await Sandbox.getInfo(sandboxId)).state, 'running')

    const afterResume = await readCounter(resumed)
    assert.ok(afterResume >= countBeforePause, `counter went back: ${countBeforePause} -> ${afterResume}`)
    const later = await waitFor(
      async () => {
        const n = await readCounter(resumed)
        return n > afterResume && n > countBeforePause ? n : 0
      },
      { timeoutMs: 15_000, message: `the counter to pass ${Math.max(afterResume, countBeforePause)}` }
    )
    assert.ok(later > countBeforePause)

    assert.equal((await resumed.commands.run('cat /tmp/pid')).stdout.trim(), shellPid, 'the counter was restarted')
    const alive = await resumed.commands.run(`kill -0 ${shellPid} && echo alive`)
    assert.equal(alive.stdout, 'alive\n')

    const processes = await resumed.commands.list()
    assert.ok(
      processes.some((p) => p.pid === handlePid),
      `background command pid ${handlePid} not in commands.list(): ${JSON.stringify(processes.map((p) => p.pid))}`
    )
  })

  test('the original Sandbox object still works after the resume', T, async () => {
    const r = await sandbox.commands.run('echo still-here')
    assert.equal(r.stdout, 'still-here\n')
    assert.equal(await sandbox.isRunning(), true)
  })
})
