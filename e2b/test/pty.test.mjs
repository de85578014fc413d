// sandbox.pty: an interactive shell on a pseudo-terminal — input, output,
// resize, connect after a disconnect, and kill.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox } from 'e2b'
import { requireEnv, T, HOOK, killQuietly, waitFor, settle } from '../lib/env.mjs'

requireEnv()

describe('pty', () => {
  /** @type {Sandbox} */
  let sandbox
  let handle
  let output = ''
  const decoder = new TextDecoder()
  const encoder = new TextEncoder()

  /** Waits until the terminal output after `from` contains `needle`. */
  async function expectOutput(needle, from = 0) {
    await waitFor(() => output.indexOf(needle, from) >= 0, { timeoutMs: 15_000, message: 'pty output' }).catch(
      (err) => {
        throw new Error(`pty output never contained ${JSON.stringify(needle)}; got: ${JSON.stringify(output.slice(from))}`, {
          cause: err,
        })
      }
    )
  }

  before(async () => {
    sandbox = await Sandbox.create({ timeoutMs: 600_000, metadata: { suite: 'e2b-pty' } })
  }, HOOK)

  after(async () => {
    if (handle) await settle(sandbox.pty.kill(handle.pid))
    await killQuietly(sandbox?.sandboxId)
  }, HOOK)

  test('pty.create() starts a terminal with a pid that commands.list() shows', T, async () => {
    handle = await sandbox.pty.create({
      cols: 80,
      rows: 24,
      timeoutMs: 0, // no deadline: the shell lives until we kill it
      onData: (data) => {
        output += decoder.decode(data, { stream: true })
      },
    })
    assert.equal(typeof handle.pid, 'number')
    const processes = await sandbox.commands.list()
    assert.ok(processes.some((p) => p.pid === handle.pid), `pty pid ${handle.pid} not in commands.list()`)
  })

  test('sendInput() runs a command in the shell and onData receives its output', T, async () => {
    const from = output.length
    // The echoed input line says pty-$((40+2)); only the shell's output says pty-42.
    await sandbox.pty.sendInput(handle.pid, encoder.encode('echo pty-$((40+2))\n'))
    await expectOutput('pty-42', from)
  })

  test('the terminal starts at 80x24', T, async () => {
    const from = output.length
    await sandbox.pty.sendInput(handle.pid, encoder.encode('stty size\n'))
    await expectOutput('24 80', from)
  })

  test('resize() changes the terminal size seen by stty', T, async () => {
    await sandbox.pty.resize(handle.pid, { cols: 100, rows: 30 })
    const from = output.length
    await sandbox.pty.sendInput(handle.pid, encoder.encode('stty size\n'))
    await expectOutput('30 100', from)
  })

  test('pty.connect(pid) after a disconnect follows the same shell', T, async () => {
    await handle.disconnect()
    let again = ''
    const reconnected = await sandbox.pty.connect(handle.pid, {
      timeoutMs: 0,
      onData: (data) => {
        again += decoder.decode(data, { stream: true })
      },
    })
    assert.equal(reconnected.pid, handle.pid)
    await sandbox.pty.sendInput(handle.pid, encoder.encode('echo again-$((5*5))\n'))
    await waitFor(() => again.includes('again-25'), { timeoutMs: 15_000, message: `again-25 after connect; got ${JSON.stringify(again)}` })
    handle = reconnected
  })

  test('pty.kill() returns true and ends the terminal', T, async () => {
    assert.equal(await sandbox.pty.kill(handle.pid), true)
    const ended = await settle(handle.wait())
    assert.ok(ended.ms < 10_000, `wait() took ${ended.ms} ms after pty.kill()`)
    await waitFor(async () => !(await sandbox.commands.list()).some((p) => p.pid === handle.pid), {
      timeoutMs: 10_000,
      message: `pty pid ${handle.pid} to leave commands.list()`,
    })
    assert.equal(await sandbox.pty.kill(handle.pid), false, 'killing a dead pty returned true')
    handle = undefined
  })
})
