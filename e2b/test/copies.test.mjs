// Copies of a running sandbox: Sandbox.fork (children copied from its memory
// and disk) and snapshots (createSnapshot, then Sandbox.create(snapshotId)).
// A process that was counting in the source counts on in each copy, where
// commands.list() shows it by the same pid; files are copied, and each
// copy's changes are its own; each copy has its own timeout and metadata.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox, SandboxNotFoundError } from 'e2b'
import { requireEnv, BASE_VARS, T, HOOK, killQuietly, waitFor, bhattiSandboxes } from '../lib/env.mjs'

const env = requireEnv([...BASE_VARS, 'BHATTI_OTHER_KEY'])
const OTHER = { apiKey: env.BHATTI_OTHER_KEY }

const COUNTER = `sh -c 'i=0; while true; do i=$((i+1)); echo $i > /tmp/n.tmp; mv /tmp/n.tmp /tmp/n; sleep 0.1; done'`

async function counter(sbx) {
  const r = await sbx.commands.run('cat /tmp/n 2>/dev/null || echo 0')
  return Number.parseInt(r.stdout.trim(), 10)
}

describe('fork', () => {
  /** @type {Sandbox} */
  let parent
  /** @type {Sandbox[]} */
  let children = []
  let counterPid

  before(async () => {
    parent = await Sandbox.create({ timeoutMs: 600_000, metadata: { suite: 'e2b-fork' } })
    await parent.files.write('/home/user/before.txt', 'from the parent')
    const handle = await parent.commands.run(COUNTER, { background: true, timeoutMs: 0 })
    counterPid = handle.pid
    await waitFor(async () => (await counter(parent)) >= 3, { timeoutMs: 30_000, message: 'the counter to start' })
  }, HOOK)

  after(async () => {
    for (const c of children) await killQuietly(c.sandboxId)
    await killQuietly(parent?.sandboxId)
  }, HOOK)

  test('sandbox.fork({count: 2}) answers two running sandboxes, listed by bhatti too', T, async () => {
    const forked = await parent.fork({ count: 2, timeoutMs: 120_000 })
    assert.equal(forked.length, 2)
    for (const f of forked) assert.ok(f instanceof Sandbox, `a fork failed: ${f}`)
    children = forked
    const ids = new Set(children.map((c) => c.sandboxId))
    assert.equal(ids.size, 2)
    assert.ok(!ids.has(parent.sandboxId))
    const listed = (await bhattiSandboxes()).map((s) => s.id)
    for (const id of ids) assert.ok(listed.includes(id), `${id} missing from GET /sandboxes`)
  })

  test('each child has the parent files and its own changes', T, async () => {
    for (const c of children) {
      assert.equal(await c.files.read('/home/user/before.txt'), 'from the parent')
      await c.files.write('/home/user/mine.txt', c.sandboxId)
    }
    assert.equal(await children[0].files.read('/home/user/mine.txt'), children[0].sandboxId)
    assert.equal(await children[1].files.read('/home/user/mine.txt'), children[1].sandboxId)
    assert.equal(await parent.files.exists('/home/user/mine.txt'), false)
  })

  test('the counting process goes on in each child and is in its commands.list()', T, async () => {
    for (const c of children) {
      const start = await counter(c)
      assert.ok(start >= 3, `the child's counter starts at ${start}`)
      await waitFor(async () => (await counter(c)) > start, { timeoutMs: 15_000, message: `${c.sandboxId} counting on` })
      const pids = (await c.commands.list()).map((p) => p.pid)
      assert.ok(pids.includes(counterPid), `pid ${counterPid} not in the child's list: ${JSON.stringify(pids)}`)
    }
    // killing it in one child leaves the parent's running
    await children[0].commands.kill(counterPid)
    const before = await counter(parent)
    await waitFor(async () => (await counter(parent)) > before, { timeoutMs: 15_000, message: 'the parent counting on' })
  })

  test('each child has its own timeout', T, async () => {
    const info = await Sandbox.getInfo(children[0].sandboxId)
    const left = info.endAt.getTime() - Date.now()
    assert.ok(left > 60_000 && left <= 125_000, `child ends in ${left} ms, asked for 120 s`)
    const parentLeft = (await Sandbox.getInfo(parent.sandboxId)).endAt.getTime() - Date.now()
    assert.ok(parentLeft > 300_000, `the parent's timeout changed: ${parentLeft} ms left`)
  })

  test("another user's key cannot fork the sandbox, and an unknown id is not found", T, async () => {
    await assert.rejects(Sandbox.fork(parent.sandboxId, { ...OTHER }), SandboxNotFoundError)
    await assert.rejects(Sandbox.fork('sb-000000000000'), SandboxNotFoundError)
  })

  test('a count of 0 is refused and makes nothing', T, async () => {
    const before = (await bhattiSandboxes()).length
    await assert.rejects(parent.fork({ count: 0 }), (e) => /count/.test(e.message))
    assert.equal((await bhattiSandboxes()).length, before)
  })
})

describe('snapshots', () => {
  /** @type {Sandbox} */
  let source
  const made = []
  let snapshotId

  before(async () => {
    source = await Sandbox.create({ timeoutMs: 600_000, metadata: { suite: 'e2b-snapshots', role: 'source' } })
    await source.files.write('/home/user/kept.txt', 'in the snapshot')
    await source.commands.run(COUNTER, { background: true, timeoutMs: 0 })
    await waitFor(async () => (await counter(source)) >= 3, { timeoutMs: 30_000, message: 'the counter to start' })
  }, HOOK)

  after(async () => {
    for (const s of made) await killQuietly(s.sandboxId)
    await killQuietly(source?.sandboxId)
  }, HOOK)

  test('createSnapshot({name}) answers its id and name, and listSnapshots finds it', T, async () => {
    const snap = await source.createSnapshot({ name: 'with-counter' })
    snapshotId = snap.snapshotId
    assert.match(snapshotId, /^cp-/)
    assert.deepEqual(snap.names, ['with-counter'])
    const mine = await source.listSnapshots().nextItems()
    assert.ok(mine.some((s) => s.snapshotId === snapshotId), `not listed: ${JSON.stringify(mine)}`)
    const named = await Sandbox.listSnapshots({ name: 'with-counter' }).nextItems()
    assert.deepEqual(named.map((s) => s.snapshotId), [snapshotId])
  })

  test('Sandbox.create(snapshotId) is a new sandbox with its files and processes, each time', T, async () => {
    await source.files.write('/home/user/kept.txt', 'changed after the snapshot')
    for (let i = 0; i < 2; i++) {
      const copy = await Sandbox.create(snapshotId, { timeoutMs: 120_000, metadata: { copy: String(i) } })
      made.push(copy)
      assert.equal(await copy.files.read('/home/user/kept.txt'), 'in the snapshot')
      const start = await counter(copy)
      assert.ok(start >= 3, `the copy's counter starts at ${start}`)
      await waitFor(async () => (await counter(copy)) > start, { timeoutMs: 15_000, message: 'the copy counting on' })
      const info = await Sandbox.getInfo(copy.sandboxId)
      assert.equal(info.templateId, snapshotId)
      assert.deepEqual(info.metadata, { copy: String(i) })
      const left = info.endAt.getTime() - Date.now()
      assert.ok(left > 60_000 && left <= 125_000, `the copy ends in ${left} ms, asked for 120 s`)
    }
    assert.notEqual(made[0].sandboxId, made[1].sandboxId)
  })

  test("another user's key cannot create from the snapshot or delete it", T, async () => {
    await assert.rejects(Sandbox.create(snapshotId, { ...OTHER }))
    assert.equal(await Sandbox.deleteSnapshot(snapshotId, { ...OTHER }), false)
  })

  test('deleteSnapshot answers true, then false; copies made from it stay', T, async () => {
    assert.equal(await Sandbox.deleteSnapshot(snapshotId), true)
    assert.equal(await Sandbox.deleteSnapshot(snapshotId), false)
    assert.equal((await Sandbox.listSnapshots({ sandboxId: source.sandboxId }).nextItems()).length, 0)
    assert.equal(await made[0].isRunning(), true)
  })
})
