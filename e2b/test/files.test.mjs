// sandbox.files: read/write in every format, multi-file write, list, exists,
// getInfo, makeDir, rename, remove, relative paths, users, errors, watchDir.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Sandbox, FileNotFoundError, FilesystemEventType } from 'e2b'
import { requireEnv, T, HOOK, killQuietly, waitFor, sleep, sha256, toArrayBuffer } from '../lib/env.mjs'

requireEnv()

const HOME = '/home/user'
const DIR = `${HOME}/ft` // every test works below here

describe('files', () => {
  /** @type {Sandbox} */
  let sandbox

  /** sha256 of a file as the sandbox itself computes it */
  async function sandboxSha256(path) {
    const r = await sandbox.commands.run(`sha256sum '${path}'`)
    return r.stdout.split(' ')[0]
  }

  before(async () => {
    sandbox = await Sandbox.create({ timeoutMs: 900_000, metadata: { suite: 'e2b-files' } })
  }, HOOK)

  after(() => killQuietly(sandbox?.sandboxId), HOOK)

  test('write() a string then read() it back as text and as a blob', T, async () => {
    const text = 'héllo wörld ✓\nsecond line\n'
    const info = await sandbox.files.write(`${DIR}/hello.txt`, text)
    assert.equal(info.name, 'hello.txt')
    assert.equal(info.path, `${DIR}/hello.txt`)
    assert.equal(info.type, 'file')

    assert.equal(await sandbox.files.read(`${DIR}/hello.txt`), text)
    const blob = await sandbox.files.read(`${DIR}/hello.txt`, { format: 'blob' })
    assert.ok(blob instanceof Blob)
    assert.equal(await blob.text(), text)

    const seenInside = await sandbox.commands.run(`cat ${DIR}/hello.txt`)
    assert.equal(seenInside.stdout, text)
  })

  test('write() overwrites an existing file', T, async () => {
    await sandbox.files.write(`${DIR}/over.txt`, 'a much longer first version\n')
    await sandbox.files.write(`${DIR}/over.txt`, 'short\n')
    assert.equal(await sandbox.files.read(`${DIR}/over.txt`), 'short\n')
  })

  test('an empty file reads back as an empty string', T, async () => {
    await sandbox.files.write(`${DIR}/empty.txt`, '')
    assert.equal(await sandbox.files.read(`${DIR}/empty.txt`), '')
  })

  test('all 256 byte values round-trip exactly through write/read bytes', T, async () => {
    const bytes = new Uint8Array(256).map((_, i) => i)
    await sandbox.files.write(`${DIR}/all-bytes.bin`, toArrayBuffer(bytes))
    const back = await sandbox.files.read(`${DIR}/all-bytes.bin`, { format: 'bytes' })
    assert.ok(back instanceof Uint8Array)
    assert.deepEqual(Array.from(back), Array.from(bytes))
    assert.equal(await sandboxSha256(`${DIR}/all-bytes.bin`), sha256(bytes))
  })

  test('a 1 MiB random buffer round-trips exactly', T, async () => {
    const buf = randomBytes(1 << 20)
    await sandbox.files.write(`${DIR}/random.bin`, toArrayBuffer(buf))
    const back = await sandbox.files.read(`${DIR}/random.bin`, { format: 'bytes' })
    assert.equal(back.byteLength, buf.length)
    assert.equal(sha256(back), sha256(buf), '1 MiB read back differs from what was written')
    assert.equal(await sandboxSha256(`${DIR}/random.bin`), sha256(buf), 'the sandbox holds different bytes')
  })

  test("read() with format 'stream' yields the file's exact bytes", T, async () => {
    const buf = randomBytes(1 << 20)
    await sandbox.files.write(`${DIR}/streamed-read.bin`, toArrayBuffer(buf))
    const stream = await sandbox.files.read(`${DIR}/streamed-read.bin`, { format: 'stream' })
    assert.ok(stream instanceof ReadableStream)
    const parts = []
    for await (const chunk of stream) parts.push(Buffer.from(chunk))
    const back = Buffer.concat(parts)
    assert.equal(back.length, buf.length)
    assert.equal(sha256(back), sha256(buf))
  })

  test('write() from a ReadableStream stores every chunk in order', T, async () => {
    const chunks = [randomBytes(300_000), randomBytes(300_000), randomBytes(300_000), Buffer.from('tail\n')]
    let i = 0
    const stream = new ReadableStream({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(new Uint8Array(chunks[i++]))
        else controller.close()
      },
    })
    const info = await sandbox.files.write(`${DIR}/streamed-write.bin`, stream)
    assert.equal(info.path, `${DIR}/streamed-write.bin`)
    const expected = Buffer.concat(chunks)
    const back = await sandbox.files.read(`${DIR}/streamed-write.bin`, { format: 'bytes' })
    assert.equal(back.byteLength, expected.length)
    assert.equal(sha256(back), sha256(expected))
  })

  test('write() of several files at once returns an entry per file and creates parents', T, async () => {
    const entries = [
      { path: `${DIR}/many/a.txt`, data: 'A' },
      { path: `${DIR}/many/b.txt`, data: 'BB' },
      { path: `${DIR}/many/deep/c.txt`, data: 'CCC' },
    ]
    const infos = await sandbox.files.write(entries)
    assert.ok(Array.isArray(infos))
    assert.deepEqual(infos.map((f) => f.path).sort(), entries.map((e) => e.path).sort())
    assert.deepEqual(infos.map((f) => f.name).sort(), ['a.txt', 'b.txt', 'c.txt'])
    for (const e of entries) assert.equal(await sandbox.files.read(e.path), e.data)
  })

  test("list() names files and directories with types 'file' and 'dir'", T, async () => {
    await sandbox.files.write(`${DIR}/listing/f.txt`, 'f')
    await sandbox.files.write(`${DIR}/listing/sub/inner.txt`, 'inner')
    const entries = await sandbox.files.list(`${DIR}/listing`)
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]))
    assert.deepEqual(Object.keys(byName).sort(), ['f.txt', 'sub'])
    assert.equal(byName['f.txt'].type, 'file')
    assert.equal(byName['f.txt'].path, `${DIR}/listing/f.txt`)
    assert.equal(byName['sub'].type, 'dir')

    const deep = await sandbox.files.list(`${DIR}/listing`, { depth: 2 })
    assert.ok(
      deep.some((e) => e.path === `${DIR}/listing/sub/inner.txt` && e.type === 'file'),
      `depth 2 did not include sub/inner.txt: ${JSON.stringify(deep.map((e) => e.path))}`
    )
  })

  test('exists() is true for files and directories and false for missing paths', T, async () => {
    await sandbox.files.write(`${DIR}/exists.txt`, 'x')
    assert.equal(await sandbox.files.exists(`${DIR}/exists.txt`), true)
    assert.equal(await sandbox.files.exists(DIR), true)
    assert.equal(await sandbox.files.exists(`${DIR}/no-such-file`), false)
  })

  test('getInfo() reports name, type, size and path', T, async () => {
    await sandbox.files.write(`${DIR}/info.txt`, '12345')
    const info = await sandbox.files.getInfo(`${DIR}/info.txt`)
    assert.equal(info.name, 'info.txt')
    assert.equal(info.type, 'file')
    assert.equal(info.size, 5)
    assert.equal(info.path, `${DIR}/info.txt`)
    assert.ok(info.modifiedTime instanceof Date, 'modifiedTime is not a Date')

    const dir = await sandbox.files.getInfo(DIR)
    assert.equal(dir.type, 'dir')
    assert.equal(dir.name, 'ft')
  })

  test('makeDir() returns true for a new directory (with parents) and false if it exists', T, async () => {
    assert.equal(await sandbox.files.makeDir(`${DIR}/made/a/b`), true)
    assert.equal((await sandbox.files.getInfo(`${DIR}/made/a/b`)).type, 'dir')
    assert.equal(await sandbox.files.makeDir(`${DIR}/made/a/b`), false)
  })

  test('rename() moves a file: the old path is gone, the new one has the content', T, async () => {
    await sandbox.files.write(`${DIR}/old.txt`, 'moved content')
    const entry = await sandbox.files.rename(`${DIR}/old.txt`, `${DIR}/new.txt`)
    assert.equal(entry.path, `${DIR}/new.txt`)
    assert.equal(entry.name, 'new.txt')
    assert.equal(await sandbox.files.exists(`${DIR}/old.txt`), false)
    assert.equal(await sandbox.files.read(`${DIR}/new.txt`), 'moved content')
  })

  test('remove() deletes a file and a directory tree', T, async () => {
    await sandbox.files.write(`${DIR}/gone.txt`, 'x')
    await sandbox.files.remove(`${DIR}/gone.txt`)
    assert.equal(await sandbox.files.exists(`${DIR}/gone.txt`), false)

    await sandbox.files.write(`${DIR}/tree/a/b.txt`, 'x')
    await sandbox.files.remove(`${DIR}/tree`)
    assert.equal(await sandbox.files.exists(`${DIR}/tree`), false)
  })

  test('relative paths resolve against /home/user', T, async () => {
    const info = await sandbox.files.write('rel.txt', 'relative')
    assert.equal(info.path, `${HOME}/rel.txt`)
    assert.equal(await sandbox.files.read(`${HOME}/rel.txt`), 'relative')
    assert.equal(await sandbox.files.read('rel.txt'), 'relative')
    assert.equal(await sandbox.files.exists('rel.txt'), true)
  })

  test("user 'root' can write and read /root/x, owned by root", T, async () => {
    const info = await sandbox.files.write('/root/x', 'root data', { user: 'root' })
    assert.equal(info.path, '/root/x')
    assert.equal(await sandbox.files.read('/root/x', { user: 'root' }), 'root data')
    assert.equal((await sandbox.files.getInfo('/root/x', { user: 'root' })).owner, 'root')
    const inside = await sandbox.commands.run('cat /root/x', { user: 'root' })
    assert.equal(inside.stdout, 'root data')
  })

  test('files written by the default user are not owned by root, and /root is off limits to it', T, async () => {
    await sandbox.files.write(`${DIR}/mine.txt`, 'x')
    const owner = (await sandbox.files.getInfo(`${DIR}/mine.txt`)).owner
    assert.ok(owner !== 'root' && owner !== '0', `default-user file is owned by ${owner}`)
    await assert.rejects(sandbox.files.write('/root/not-yours', 'x'))
  })

  test('reading, stat-ing or listing a missing path rejects with FileNotFoundError', T, async () => {
    await assert.rejects(sandbox.files.read(`${DIR}/missing.txt`), FileNotFoundError)
    await assert.rejects(sandbox.files.getInfo(`${DIR}/missing.txt`), FileNotFoundError)
    await assert.rejects(sandbox.files.list(`${DIR}/missing-dir`), FileNotFoundError)
  })

  test('watchDir() reports a file created in the watched directory, and stop() ends the watch', T, async () => {
    const watched = `${HOME}/w`
    await sandbox.files.makeDir(watched)
    const events = []
    const handle = await sandbox.files.watchDir(watched, (e) => events.push(e), { timeoutMs: 60_000 })
    try {
      await sandbox.files.write(`${watched}/new.txt`, 'watched')
      const isNewFile = (e) =>
        e.name === 'new.txt' && [FilesystemEventType.CREATE, FilesystemEventType.WRITE].includes(e.type)
      await waitFor(() => events.some(isNewFile), { timeoutMs: 10_000, message: 'a watch event' }).catch((err) => {
        throw new Error(`no create/write event for new.txt within 10 s; events seen: ${JSON.stringify(events)}`, {
          cause: err,
        })
      })
    } finally {
      await handle.stop()
    }
    const count = events.length
    await sandbox.files.write(`${watched}/after-stop.txt`, 'x')
    await sleep(1_000)
    assert.ok(
      !events.slice(count).some((e) => e.name === 'after-stop.txt'),
      'events kept arriving after stop()'
    )
  })
})
