// scripts/bench e2b: create and commands.run('true') through the unmodified e2b SDK against the
// same operations through bhatti's own API, interleaved pair by pair in one run (p50/p95/p99, ms).
// Needs E2B_API_URL, E2B_SANDBOX_URL, E2B_API_KEY and BHATTI_URL (the daemon's base URL).
import { Sandbox } from 'e2b'

const URL = process.env.BHATTI_URL
const KEY = process.env.E2B_API_KEY
const CREATES = Number(process.env.CREATES || 10)
const EXECS = Number(process.env.EXECS || 200)
const RUNS = Number(process.env.RUNS || 3)

async function bhatti(method, path, body) {
  const r = await fetch(URL + path, {
    method,
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await r.text()
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`)
  return text ? JSON.parse(text) : null
}

function row(what, ms) {
  const s = [...ms].sort((a, b) => a - b)
  const p = (q) => s[Math.max(0, Math.ceil((q / 100) * s.length) - 1)].toFixed(1)
  console.log(`${what.padEnd(58)} ${p(50).padStart(8)} ${p(95).padStart(8)} ${p(99).padStart(8)} ${s.at(-1).toFixed(1).padStart(8)}`)
}

const time = async (f) => {
  const t0 = performance.now()
  await f()
  return performance.now() - t0
}

// The daemon builds its image snapshot in the background: wait until creates restore from it.
for (let i = 0; i < 30; i++) {
  const made = await bhatti('POST', '/sandboxes', {})
  await bhatti('DELETE', `/sandboxes/${made.id}`)
  if (made.created_from === 'snapshot') break
  await new Promise((r) => setTimeout(r, 5000))
}

console.log(`${'measurement (ms)'.padEnd(58)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`)
for (let run = 1; run <= RUNS; run++) {
  const sdkCreate = []
  const apiCreate = []
  for (let i = 0; i < CREATES; i++) {
    let sbx
    sdkCreate.push(await time(async () => { sbx = await Sandbox.create({ timeoutMs: 600_000 }) }))
    await sbx.kill()
    let id
    apiCreate.push(await time(async () => { id = (await bhatti('POST', '/sandboxes', {})).id }))
    await bhatti('DELETE', `/sandboxes/${id}`)
  }
  row(`create, e2b SDK (Sandbox.create), run ${run}`, sdkCreate)
  row(`create, bhatti API (POST /sandboxes), run ${run}`, apiCreate)

  const sbx = await Sandbox.create({ timeoutMs: 600_000 })
  for (let i = 0; i < 20; i++) {
    await sbx.commands.run('true')
    await bhatti('POST', `/sandboxes/${sbx.sandboxId}/exec`, { cmd: ['true'] })
  }
  const sdkRun = []
  const apiRun = []
  const apiLogin = []
  const login = ['/bin/bash', '-l', '-c', 'true'] // what the SDK asks envd to run for commands.run('true')
  for (let i = 0; i < EXECS; i++) {
    sdkRun.push(await time(() => sbx.commands.run('true')))
    apiRun.push(await time(() => bhatti('POST', `/sandboxes/${sbx.sandboxId}/exec`, { cmd: ['true'] })))
    apiLogin.push(await time(() => bhatti('POST', `/sandboxes/${sbx.sandboxId}/exec`, { cmd: login })))
  }
  row(`commands.run('true'), e2b SDK (bash -l -c true), run ${run}`, sdkRun)
  row(`exec true, bhatti API, run ${run}`, apiRun)
  row(`exec bash -l -c true, bhatti API, run ${run}`, apiLogin)
  await sbx.kill()
}
