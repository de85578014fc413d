// sandbox.commands: foreground and background runs, envs/cwd/user, timeouts,
// streaming callbacks, exit codes, list/kill, stdin and connect.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox, CommandExitError, TimeoutError } from 'e2b'
import { requireEnv, T, HOOK, killQuietly, waitFor, settle } from '../lib/env.mjs'

requireEnv()

describe('commands', () => {
  /** @type {Sandbox} */
  let sandbox

  before(async () => {
    sandbox = await Sandbox.create({
      timeoutMs: 900_000,
      envs: { SANDBOX_WIDE: 'sandbox', OVERRIDDEN: 'sandbox' },
      metadata: { suite: 'e2b-commands' },
    })
  }, HOOK)

  after(() => killQuietly(sandbox?.sandboxId), HOOK)

  test("run('echo hi') resolves with stdout 'hi\\n' and exit code 0", T, async () => {
    const r = await sandbox.commands.run('echo hi')
    assert.equal(r.stdout, 'hi\n')
    assert.equal(r.stderr, '')
    assert.equal(r.exitCode, 0)
  })

  test('envs are passed to the command and override sandbox-wide envs', T, async () => {
    const r = await sandbox.commands.run('echo "$FOO $SANDBOX_WIDE $OVERRIDDEN"', {
      envs: { FOO: 'bar', OVERRIDDEN: 'command' },
    })
    assert.equal(r.stdout, 'bar sandbox command\n')
  })

  test("cwd '/tmp' sets the working directory", T, async () => {
    const r = await sandbox.commands.run('pwd', { cwd: '/tmp' })
    assert.equal(r.stdout, '/tmp\n')
  })

  test("user 'root' runs the command as root", T, async () => {
    const r = await sandbox.commands.run('whoami; id -u; echo "$HOME"', { user: 'root' })
    assert.equal(r.stdout, 'root\n0\n/root\n')
  })

  test('the default user is unprivileged with home /home/user, and starts there', T, async () => {
    const r = await sandbox.commands.run('echo "$HOME"; id -u; pwd')
    const [home, uid, cwd] = r.stdout.trim().split('\n')
    assert.equal(home, '/home/user')
    assert.notEqual(uid, '0', 'default user is root')
    assert.match(uid, /^\d+$/)
    assert.equal(cwd, '/home/user')
  })

  test('timeoutMs makes a long command reject quickly', T, async () => {
    const outcome = await settle(sandbox.commands.run('sleep 30', { timeoutMs: 2_000 }))
    assert.equal(outcome.ok, false, 'sleep 30 with timeoutMs 2000 resolved')
    assert.ok(
      outcome.error instanceof TimeoutError || outcome.error instanceof CommandExitError,
      `expected TimeoutError or CommandExitError, got ${outcome.error?.constructor?.name}: ${outcome.error?.message}`
    )
    assert.ok(outcome.ms < 10_000, `took ${outcome.ms} ms to reject`)
  })

  test('onStdout receives output while the command is still running', T, async () => {
    const chunks = []
    const r = await sandbox.commands.run('echo first; sleep 3; echo second', {
      onStdout: (data) => chunks.push({ data, at: Date.now() }),
    })
    const resolvedAt = Date.now()
    assert.equal(r.stdout, 'first\nsecond\n')
    assert.equal(chunks.map((c) => c.data).join(''), 'first\nsecond\n')
    const first = chunks.find((c) => c.data.includes('first'))
    assert.ok(first, 'no chunk contained "first"')
    assert.ok(
      resolvedAt - first.at >= 2_000,
      `first chunk arrived only ${resolvedAt - first.at} ms before the command resolved; output is not streamed`
    )
  })

  test('stderr goes to onStderr and result.stderr, not stdout', T, async () => {
    const out = []
    const err = []
    const r = await sandbox.commands.run('echo to-out; echo to-err >&2', {
      onStdout: (d) => out.push(d),
      onStderr: (d) => err.push(d),
    })
    assert.equal(r.stdout, 'to-out\n')
    assert.equal(r.stderr, 'to-err\n')
    assert.equal(out.join(''), 'to-out\n')
    assert.equal(err.join(''), 'to-err\n')
  })

  test('a non-zero exit rejects with CommandExitError carrying exitCode, stdout and stderr', T, async () => {
    await assert.rejects(sandbox.commands.run('echo partial; echo oops >&2; exit 3'), (e) => {
      assert.ok(e instanceof CommandExitError, `got ${e?.constructor?.name}: ${e?.message}`)
      assert.equal(e.exitCode, 3)
      assert.equal(e.stdout, 'partial\n')
      assert.equal(e.stderr, 'oops\n')
      return true
    })
  })

  test('a background command has a pid, is listed, and kill() ends it', T, async () => {
    const handle = await sandbox.commands.run('sleep 60', { background: true })
    assert.equal(typeof handle.pid, 'number')
    assert.ok(Number.isInteger(handle.pid) && handle.pid > 0, `pid ${handle.pid}`)

    const listed = (await sandbox.commands.list()).find((p) => p.pid === handle.pid)
    assert.ok(listed, `pid ${handle.pid} not in commands.list()`)
    assert.ok([listed.cmd, ...listed.args].join(' ').includes('sleep 60'), `listed as ${JSON.stringify(listed)}`)

    assert.equal(await handle.kill(), true)
    const ended = await settle(handle.wait())
    assert.ok(ended.ms < 10_000, `wait() took ${ended.ms} ms after kill()`)
    if (ended.ok) {
      assert.notEqual(ended.value.exitCode, 0, 'a killed command reported exit code 0')
    } else {
      assert.ok(ended.error instanceof CommandExitError, `wait() rejected with ${ended.error?.constructor?.name}: ${ended.error?.message}`)
      assert.notEqual(ended.error.exitCode, 0)
    }

    await waitFor(async () => !(await sandbox.commands.list()).some((p) => p.pid === handle.pid), {
      timeoutMs: 10_000,
      message: `pid ${handle.pid} to leave commands.list()`,
    })
    assert.equal(await sandbox.commands.kill(handle.pid), false, 'killing a dead pid returned true')
  })

  test('commands.kill(pid) kills a running background command', T, async () => {
    const handle = await sandbox.commands.run('sleep 60', { background: true })
    assert.equal(await sandbox.commands.kill(handle.pid), true)
    const ended = await settle(handle.wait())
    assert.ok(ended.ms < 10_000, `wait() took ${ended.ms} ms after commands.kill()`)
  })

  test('sendStdin feeds a background command and closeStdin ends it with exit 0', T, async () => {
    let seen = ''
    const handle = await sandbox.commands.run('cat', {
      background: true,
      stdin: true,
      onStdout: (d) => {
        seen += d
      },
    })
    await sandbox.commands.sendStdin(handle.pid, 'hello\n')
    await waitFor(() => seen.includes('hello'), { timeoutMs: 10_000, message: 'cat to echo "hello"' })

    await sandbox.commands.closeStdin(handle.pid)
    const ended = await settle(handle.wait())
    assert.ok(ended.ok, `wait() rejected: ${ended.error?.message}`)
    assert.ok(ended.ms < 10_000, `cat took ${ended.ms} ms to exit after closeStdin`)
    assert.equal(ended.value.exitCode, 0)
    assert.equal(ended.value.stdout, 'hello\n')
  })

  test('handle.sendStdin and handle.closeStdin work on the handle too', T, async () => {
    const handle = await sandbox.commands.run('wc -c', { background: true, stdin: true })
    await handle.sendStdin('12345')
    await handle.sendStdin(new TextEncoder().encode('678\n'))
    await handle.closeStdin()
    const r = await handle.wait()
    assert.equal(r.stdout.trim(), '9')
  })

  test('commands.connect(pid) to a running background command receives new output', T, async () => {
    const handle = await sandbox.commands.run(
      'for i in $(seq 1 1000); do echo tick-$i; sleep 0.5; done',
      { background: true, timeoutMs: 0 }
    )
    try {
      await waitFor(() => handle.stdout.includes('tick-2'), { timeoutMs: 15_000, message: 'the first ticks' })
      await handle.disconnect()
      const lastBefore = Math.max(...[...handle.stdout.matchAll(/tick-(\d+)/g)].map((m) => Number(m[1])))

      let seen = ''
      const attached = await sandbox.commands.connect(handle.pid, {
        onStdout: (d) => {
          seen += d
        },
      })
      assert.equal(attached.pid, handle.pid)
      await waitFor(() => /tick-\d+/.test(seen), { timeoutMs: 10_000, message: 'output after connect' })
      const firstAfter = Number(seen.match(/tick-(\d+)/)[1])
      assert.ok(firstAfter > lastBefore, `connect replayed old output: tick-${firstAfter} after tick-${lastBefore}`)
      await attached.disconnect()
    } finally {
      await sandbox.commands.kill(handle.pid)
    }
  })
})
