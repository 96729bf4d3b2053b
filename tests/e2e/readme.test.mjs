// The README's commands, run as a new user runs them: every shell line and every command of the
// Measurements table is read from README.md itself, so the two cannot drift apart. A line this
// file does not know fails the last test: a new command in the README needs a check here.
//
// Placeholders (`<access-key>`, `<name>.<region>.redis.azure.net:10000`) are filled with a local
// TLS redis-server that plays Azure Managed Redis: access key as its password, and for Entra ID an
// ACL user named by the token's `oid`, whose password is the token a stand-in `az` hands out.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, chmodSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT, E2E_URL } from './harness.mjs';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Lines of the README's ```sh blocks, without comment lines and trailing comments. */
function shellLines() {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((l) => l.replace(/\s{2,}#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** The commands in the first column of the Measurements table. */
function measurementCommands() {
  const section = README.split('## Measurements')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]);
}

const lines = [...shellLines(), ...measurementCommands()];
const covered = new Set();

/** The README line that starts with `prefix` (exactly one; or the line equal to it, when that is
 * the prefix of others), marked as checked. */
function line(prefix) {
  const exact = lines.filter((l) => l === prefix);
  const found = exact.length ? exact : lines.filter((l) => l.startsWith(prefix));
  assert.equal(found.length, 1, `one README command starting with ${JSON.stringify(prefix)}: ${JSON.stringify(found)}`);
  covered.add(found[0]);
  return found[0];
}

const children = [];
after(() => { for (const c of children) stop(c); });

/** Start a README line that keeps running (a server), in its own process group. */
function startLine(command, env = {}) {
  const child = spawn('bash', ['-c', command], { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  child.stdout.on('data', (d) => { child.output += d; });
  child.stderr.on('data', (d) => { child.output += d; });
  children.push(child);
  return child;
}

/** Stop a child and everything it started (its process group when it has one). */
function stop(child) {
  try { process.kill(-child.pid, 'SIGTERM'); } catch { try { child.kill('SIGTERM'); } catch {} }
}

/** Run a README line to its end; returns stdout, asserting success. */
function runLine(command, { env = {}, timeout = 30 * 60 * 1000 } = {}) {
  const r = spawnSync('bash', ['-c', command], { cwd: ROOT, env: { ...process.env, ...env }, timeout, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${command}\nexit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function until(what, check, child, ms = 30 * 60 * 1000) {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await check().catch(() => false)) return;
    if (child && child.exitCode !== null) throw new Error(`${what}: the command stopped:\n${child.output}`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`timed out waiting for ${what}\n${child?.output ?? ''}`);
}

/** True when something accepts connections on 127.0.0.1:port. */
async function listening(port) {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); ok(true); });
    socket.once('error', () => ok(false));
  });
}

async function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

test('the two commands: serve is what the end-to-end tests run against, test is this run', () => {
  line('scripts/dev.sh test');
  // Both README blocks name serve; the end-to-end suite runs against it (E2E_URL).
  const serves = lines.filter((l) => l === 'scripts/dev.sh serve');
  assert.ok(serves.length >= 1);
  serves.forEach((l) => covered.add(l));
  assert.ok(E2E_URL, 'scripts/dev.sh test runs the end-to-end tests against scripts/dev.sh serve (E2E_URL)');
});

test('emulate: redis-cli, redis-benchmark and redis-py against the engine, as the README runs them', async () => {
  const server = startLine(line('cargo run --profile fast -p playground-proxy -- emulate'));
  try {
    await until('emulate on 6380', () => listening(6380), server);
    assert.equal(runLine(line('redis-cli -p 6380 SET greeting')).trim(), 'OK');
    assert.match(runLine(line('redis-benchmark -p 6380')), /SET: [\d.]+ requests per second[\s\S]*GET: [\d.]+ requests per second/);
    runLine(line('python3 -m venv target/py'));
    assert.equal(runLine(line('target/py/bin/python -c')).trim(), 'True');
  } finally {
    stop(server);
  }
});

/** A local TLS redis-server standing in for Azure Managed Redis, with its CA file. */
function tlsRedis(dir, port, password) {
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=readme-test-ca');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
  const child = spawn('redis-server', [
    '--port', '0', '--tls-port', String(port), '--tls-cert-file', join(dir, 'server.pem'), '--tls-key-file', join(dir, 'server.key'),
    '--tls-ca-cert-file', join(dir, 'ca.pem'), '--tls-auth-clients', 'no', '--requirepass', password,
    '--save', '', '--appendonly', 'no', '--dir', dir,
  ], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** The proxy's /health, as the page reads it. */
async function health() {
  const r = await fetch('http://127.0.0.1:7380/health', { headers: { origin: 'http://127.0.0.1:8080' } });
  return r.json();
}

test('serve: access key and Entra ID against a TLS server, as the README runs them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'readme-'));
  const port = await freePort();
  const key = 'readme-access-key';
  tlsRedis(dir, port, key);
  await until('TLS redis-server', () => listening(port));
  const azure = (l) => l.replaceAll('<access-key>', key).replaceAll('<name>.<region>.redis.azure.net:10000', `localhost:${port}`);
  const env = { PLAYGROUND_CA_FILE: join(dir, 'ca.pem') };

  // Access key from the environment: the README's export, then its serve line.
  const exported = azure(line("export PLAYGROUND_REDIS_URL="));
  let proxy = startLine(`${exported}\nexec ${line('cargo run --profile fast -p playground-proxy -- serve')}`, env);
  proxy.command = 'key';
  try {
    await until('the proxy on 7380', async () => (await health()).upstream?.state === 'up', proxy);
    const h = await health();
    assert.equal(h.tls, true);
    assert.equal(h.auth, 'password');
  } finally {
    stop(proxy);
  }
  await until('7380 free again', async () => !(await listening(7380)));

  // Entra ID: a stand-in `az` hands out a token whose `oid` is an ACL user of the server.
  const oid = '00000000-aaaa-bbbb-cccc-000000000001';
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = `${b64({ alg: 'none' })}.${b64({ oid, aud: 'https://redis.azure.com' })}.c2ln`;
  execFileSync('redis-cli', ['--tls', '--cacert', join(dir, 'ca.pem'), '-h', 'localhost', '-p', String(port), '-a', key, '--no-auth-warning',
    'ACL', 'SETUSER', oid, 'on', `>${token}`, '~*', '&*', '+@all']);
  const bin = join(dir, 'bin');
  execFileSync('mkdir', ['-p', bin]);
  const expires = Math.floor(Date.now() / 1000) + 3600;
  writeFileSync(join(bin, 'az'), `#!/bin/sh\necho '{"accessToken": "${token}", "expires_on": ${expires}}'\n`);
  chmodSync(join(bin, 'az'), 0o755);
  proxy = startLine(`exec ${azure(line('cargo run --profile fast -p playground-proxy -- serve --redis'))}`, { ...env, PATH: `${bin}:${process.env.PATH}` });
  try {
    await until('the Entra proxy on 7380', async () => (await health()).upstream?.state === 'up', proxy);
    assert.equal((await health()).auth, 'entra');
  } finally {
    stop(proxy);
  }
  await until('7380 free again', async () => !(await listening(7380)));
});

test('the Measurements table: each command runs as written and prints its table', async () => {
  // Each prints a Markdown table (or rows of one) on stdout; the numbers are the machine's own.
  const table = /^\|.*\|$/m;
  assert.match(runLine(line('cargo run --profile fast -p playground-proxy --bin playground-bench')), /redis-benchmark[\s\S]*\|.*SET.*\|/);
  assert.match(runLine(line('cargo run --profile fast -p playground-engine --example vector_bench')), /recall/);
  // The 500-client load runs 10 s here instead of its default 60 (BENCH_LOAD_SECS): the command
  // and its table are the same, and the test suite stays within CI's hour.
  assert.match(runLine(line('cargo bench --profile fast -p playground-proxy --bench serve_bench'), { env: { BENCH_LOAD_SECS: '10' } }), /p50/);
  assert.match(runLine(line('node tests/e2e/measure.mjs')), /navigation -> PONG/);
  assert.match(runLine(line('cargo run -p playground-labs --example threshold_table')), table);
  const similarity = line('cargo run -p playground-embed --example similarity');
  assert.match(runLine(similarity), /\d\.\d+/);
});

test('every command in the README is one of the commands checked above', () => {
  const unchecked = lines.filter((l) => !covered.has(l));
  assert.deepEqual(unchecked, [], 'README commands without a check in tests/e2e/readme.test.mjs');
});
