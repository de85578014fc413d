// The SDK's git module (deprecated by E2B in favour of commands.run, still
// shipped): it runs git through commands.run, so its local operations work
// on bhatti's default image, which has git. clone/pull/push need a network
// these tests do not use.

import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox } from 'e2b'
import { requireEnv, T, HOOK, killQuietly } from '../lib/env.mjs'

requireEnv()

describe('git', () => {
  /** @type {Sandbox} */
  let sandbox
  const repo = '/home/user/repo'

  before(async () => {
    sandbox = await Sandbox.create({ timeoutMs: 600_000, metadata: { suite: 'e2b-git' } })
  }, HOOK)

  after(() => killQuietly(sandbox?.sandboxId), HOOK)

  test('init, configureUser, add, commit, status, branches, createBranch, checkoutBranch', T, async () => {
    await sandbox.git.init(repo, { initialBranch: 'main' })
    await sandbox.git.configureUser('Agent', 'agent@example.invalid')
    assert.equal(await sandbox.git.getConfig('user.name'), 'Agent')
    await sandbox.files.write(`${repo}/README.md`, '# hello\n')

    const dirty = await sandbox.git.status(repo)
    assert.equal(dirty.currentBranch, 'main')
    assert.equal(dirty.hasUntracked, true)

    await sandbox.git.add(repo)
    await sandbox.git.commit(repo, 'first commit')
    const clean = await sandbox.git.status(repo)
    assert.equal(clean.isClean, true, JSON.stringify(clean))

    await sandbox.git.createBranch(repo, 'feature')
    await sandbox.git.checkoutBranch(repo, 'main')
    const b = await sandbox.git.branches(repo)
    assert.deepEqual([...b.branches].sort(), ['feature', 'main'])
    assert.equal(b.currentBranch, 'main')

    const log = await sandbox.commands.run('git log --format=%s', { cwd: repo })
    assert.equal(log.stdout, 'first commit\n')
  })
})
