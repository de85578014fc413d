// Sandbox lifecycle through the control API: create, connect, list, getInfo,
// setTimeout, isRunning, kill — and that an E2B sandbox is a bhatti sandbox.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Sandbox, SandboxNotFoundError } from 'e2b'
import { requireEnv, T, HOOK, listAll, bhattiSandboxes, killQuietly, approxMs } from '../lib/env.mjs'

requireEnv()

const TIMEOUT_MS = 600_000
const RUN_ID = randomUUID()
const METADATA = { suite: 'e2b-lifecycle', run: RUN_ID }

describe('sandbox lifecycle', () => {
  /** @type {Sandbox} */
  let sandbox
  let sandboxId

  before(async () => {
    sandbox = await Sandbox.create({
      timeoutMs: TIMEOUT_MS,
      envs: { LIFECYCLE_VAR: 'from-create' },
      metadata: METADATA,
    })
    sandboxId = sandbox.sandboxId
  }, HOOK)

  after(() => killQuietly(sandboxId), HOOK)

  test('create returns a sandbox with an id', T, () => {
    assert.equal(typeof sandboxId, 'string')
    assert.ok(sandboxId.length > 0, 'sandboxId is empty')
  })

  test("the E2B sandbox is a running sandbox in bhatti's own GET /sandboxes", T, async () => {
    const mine = await bhattiSandboxes()
    const entry = mine.find((s) => s.id === sandboxId)
    assert.ok(entry, `sandbox ${sandboxId} not in bhatti's list: ${JSON.stringify(mine.map((s) => s.id))}`)
    assert.equal(entry.status, 'running')
  })

  test('sandbox-wide envs from create are visible to commands', T, async () => {
    const r = await sandbox.commands.run('echo "$LIFECYCLE_VAR"')
    assert.equal(r.stdout, 'from-create\n')
  })

  test('Sandbox.connect(id) returns a usable sandbox', T, async () => {
    const again = await Sandbox.connect(sandboxId)
    assert.equal(again.sandboxId, sandboxId)
    const r = await again.commands.run('echo connected')
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, 'connected\n')
  })

  test('Sandbox.list() contains the sandbox, running, with its metadata', T, async () => {
    const all = await listAll()
    const mine = all.find((s) => s.sandboxId === sandboxId)
    assert.ok(mine, `sandbox ${sandboxId} not in Sandbox.list(): ${JSON.stringify(all.map((s) => s.sandboxId))}`)
    assert.equal(mine.state, 'running')
    assert.deepEqual(mine.metadata, METADATA)
    assert.ok(mine.startedAt instanceof Date && !Number.isNaN(mine.startedAt.getTime()), 'startedAt is not a valid Date')
    assert.ok(mine.endAt instanceof Date && !Number.isNaN(mine.endAt.getTime()), 'endAt is not a valid Date')
  })

  test('Sandbox.list() filters by metadata and by state', T, async () => {
    const byMeta = await listAll({ query: { metadata: { run: RUN_ID } } })
    assert.deepEqual(byMeta.map((s) => s.sandboxId), [sandboxId])

    const byOtherMeta = await listAll({ query: { metadata: { run: `not-${RUN_ID}` } } })
    assert.deepEqual(byOtherMeta, [])

    const pausedOnly = await listAll({ query: { state: ['paused'] } })
    assert.ok(!pausedOnly.some((s) => s.sandboxId === sandboxId), 'a running sandbox is listed under state=paused')
  })

  test('getInfo() describes the running sandbox', T, async () => {
    const info = await sandbox.getInfo()
    assert.equal(info.sandboxId, sandboxId)
    assert.equal(typeof info.templateId, 'string')
    assert.ok(
      info.templateId === 'base' || info.name === 'base',
      `default template should be reported as 'base' (templateId=${info.templateId}, name=${info.name})`
    )
    assert.deepEqual(info.metadata, METADATA)
    assert.equal(info.state, 'running')
    assert.ok(info.startedAt instanceof Date && !Number.isNaN(info.startedAt.getTime()), 'startedAt is not a valid Date')
    assert.ok(info.endAt instanceof Date && !Number.isNaN(info.endAt.getTime()), 'endAt is not a valid Date')
    assert.ok(info.startedAt.getTime() <= Date.now() + 5_000, `startedAt ${info.startedAt.toISOString()} is in the future`)
    assert.ok(
      approxMs(info.endAt.getTime() - info.startedAt.getTime(), TIMEOUT_MS, 30_000),
      `endAt - startedAt = ${info.endAt.getTime() - info.startedAt.getTime()} ms, expected about ${TIMEOUT_MS} ms`
    )
    assert.match(info.envdVersion, /^v?\d+\.\d+\.\d+/)
  })

  test('static Sandbox.getInfo(id) matches the instance method', T, async () => {
    const info = await Sandbox.getInfo(sandboxId)
    assert.equal(info.sandboxId, sandboxId)
    assert.equal(info.state, 'running')
    assert.deepEqual(info.metadata, METADATA)
  })

  test('setTimeout() moves endAt to now + timeout, shorter or longer', T, async () => {
    const before = await sandbox.getInfo()

    await sandbox.setTimeout(120_000)
    const shorter = await sandbox.getInfo()
    assert.ok(
      approxMs(shorter.endAt.getTime(), Date.now() + 120_000, 15_000),
      `after setTimeout(120 s) endAt is ${shorter.endAt.toISOString()}, expected about now + 120 s`
    )
    assert.ok(shorter.endAt < before.endAt, 'a shorter timeout did not move endAt earlier')

    await Sandbox.setTimeout(sandboxId, 900_000)
    const longer = await sandbox.getInfo()
    assert.ok(
      approxMs(longer.endAt.getTime(), Date.now() + 900_000, 15_000),
      `after Sandbox.setTimeout(id, 900 s) endAt is ${longer.endAt.toISOString()}, expected about now + 900 s`
    )
    assert.equal(longer.state, 'running')
  })

  test('isRunning() is true for a live sandbox', T, async () => {
    assert.equal(await sandbox.isRunning(), true)
  })

  // Everything below runs after kill(); keep these tests last.

  test('kill() returns true and the sandbox stops running', T, async () => {
    assert.equal(await sandbox.kill(), true)
    assert.equal(await sandbox.isRunning(), false)
  })

  test('Sandbox.kill(id) on a killed sandbox returns false', T, async () => {
    assert.equal(await Sandbox.kill(sandboxId), false)
  })

  test('getInfo on a killed sandbox rejects with SandboxNotFoundError', T, async () => {
    await assert.rejects(sandbox.getInfo(), SandboxNotFoundError)
    await assert.rejects(Sandbox.getInfo(sandboxId), SandboxNotFoundError)
  })

  test('Sandbox.connect to a killed sandbox rejects with SandboxNotFoundError', T, async () => {
    await assert.rejects(Sandbox.connect(sandboxId), SandboxNotFoundError)
  })

  test('a killed sandbox is gone from Sandbox.list() and from bhatti', T, async () => {
    const all = await listAll()
    assert.ok(!all.some((s) => s.sandboxId === sandboxId), 'killed sandbox still in Sandbox.list()')
    const mine = await bhattiSandboxes()
    assert.ok(!mine.some((s) => s.id === sandboxId), "killed sandbox still in bhatti's GET /sandboxes")
  })
})
