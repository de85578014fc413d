// pause() and resume-by-connect: a paused sandbox keeps its memory, so a
// process that was counting when it was paused is the same process, still
// counting, after Sandbox.connect() resumes it; and a command whose output
// is being followed when the pause comes delivers every line exactly once,
// stdout and stderr apart, then its exit, across the pause.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox } from 'e2b'
import { requireEnv, T, HOOK, listAll, killQuietly, waitFor, sleep } from '../lib/env.mjs'

requireEnv()

const LINES = 150
const PRINTER =
  `sh -c 'i=1; while [ $i -le ${LINES} ]; do echo line-$i; echo err-$i >&2; i=$((i+1)); sleep 0.1; done; exit 3'`

const COUNTER =
  `sh -c 'echo $$ > /tmp/pid; i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.1; done'`

describe('pause and resume', () => {
  /** @type {Sandbox} */
  let sandbox
  let sandboxId
  let handlePid
  let shellPid
  let countBeforePause
  let printer
  const printed = { stdout: '', stderr: '', atPause: 0 }

  async function readCounter(sbx) {
    const r = await sbx.commands.run('cat /tmp/n 2>/dev/null || echo 0')
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

  test('a command followed through the pause has printed some of its lines before it', T, async () => {
    printer = await sandbox.commands.run(PRINTER, {
      background: true,
      timeoutMs: 0,
      onStdout: (d) => (printed.stdout += d),
      onStderr: (d) => (printed.stderr += d),
    })
    await waitFor(() => printed.stdout.includes('line-5\n'), { timeoutMs: 30_000, message: 'line-5 on stdout' })
  })

  test('pause() returns true and the sandbox is reported paused', T, async () => {
    countBeforePause = await readCounter(sandbox)
    assert.equal(await sandbox.pause(), true)
    printed.atPause = printed.stdout.split('\n').length - 1
    assert.ok(printed.atPause < LINES, `the printer finished before the pause (${printed.atPause} lines)`)

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

  test('the followed command delivers every line once, in order, and its exit after the resume', T, async () => {
    const result = await printer.wait().catch((e) => e.result ?? e)
    assert.equal(result.exitCode, 3, `exit: ${JSON.stringify(result.exitCode)} ${result.error ?? ''}`)
    const expect = (prefix) => Array.from({ length: LINES }, (_, i) => `${prefix}-${i + 1}\n`).join('')
    assert.equal(printed.stdout, expect('line'), 'stdout lost or repeated a line across the pause')
    assert.equal(printed.stderr, expect('err'), 'stderr lost or repeated a line across the pause')
    assert.equal(result.stdout, expect('line'))
    assert.ok(printed.atPause > 0, 'no line arrived before the pause')
  })

  test('the original Sandbox object still works after the resume', T, async () => {
    const r = await sandbox.commands.run('echo still-here')
    assert.equal(r.stdout, 'still-here\n')
    assert.equal(await sandbox.isRunning(), true)
  })
})
