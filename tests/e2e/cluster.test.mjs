// Cluster mode in the page: the server panel's switch turns the console into `redis-cli -c` on
// one node of a 3-shard cluster. It follows MOVED with redis-cli's redirect line, refuses keys
// of several slots with CROSSSLOT, and the key browser shows each key's hash slot and shard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { serveDist, launch, openPage, run, screenshotPath, ROOT } from './harness.mjs';

async function freePort() {
  const s = createTcpServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

async function until(what, check) {
  for (let i = 0; i < 200; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`${what} did not come up`);
}

let server;
let browser;
before(async () => {
  server = await serveDist();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the cluster switch: redirects, CROSSSLOT, hash tags and slots in the key browser', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  assert.match(await run(page, 'CLUSTER INFO'), /cluster support disabled/);
  await page.selectOption('[data-testid=cluster-mode]', '3');
  assert.match(await run(page, 'CLUSTER INFO'), /cluster_state:ok[\s\S]*cluster_known_nodes:3/);
  // foo hashes to slot 12182 (CLUSTER KEYSLOT on Redis), served by the third node.
  assert.equal(await run(page, 'SET foo 1'), 'OK');
  const entry = page.locator('.scrollback .entry').last();
  assert.match(await entry.innerText(), /-> Redirected to slot \[12182\] located at 127\.0\.0\.1:7002/);
  assert.equal(await run(page, 'CLUSTER KEYSLOT foo'), '(integer) 12182');
  // The console now talks to the node it was redirected to, and its prompt says so.
  assert.equal(await page.locator('.scrollback .entry .prompt-sign').last().innerText(), '127.0.0.1:7002>');
  assert.match(await run(page, 'MSET user:1 a user:2 b'), /CROSSSLOT Keys in request don't hash to the same slot/);
  assert.equal(await run(page, 'MSET {user:1}:profile ada {user:1}:cart 3'), 'OK');
  const slot = (key) => page.locator(`.key-row[data-key="${key}"] .slot`);
  await slot('foo').waitFor();
  assert.equal(await slot('foo').getAttribute('data-slot'), '12182');
  assert.equal(await slot('foo').getAttribute('data-shard'), '3');
  assert.equal(await slot('{user:1}:profile').getAttribute('data-slot'), await slot('{user:1}:cart').getAttribute('data-slot'));
  await page.screenshot({ path: screenshotPath('cluster.png') });
  // Back to one server: every command runs again, and the slots are gone.
  await page.selectOption('[data-testid=cluster-mode]', '0');
  assert.equal(await run(page, 'MSET user:1 a user:2 b'), 'OK');
  assert.equal(await page.locator('.key-row .slot').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('through the proxy in front of a 3-shard cluster: each command says its slot and shard', async () => {
  const bin = process.env.PLAYGROUND_PROXY_BIN ?? join(ROOT, 'target', 'debug', 'playground-proxy');
  assert.ok(existsSync(bin), `playground-proxy binary at ${bin} (cargo build -p playground-proxy)`);
  // Three consecutive ports for the cluster's nodes (emulate --cluster: a Redis Cluster that
  // crates/proxy/tests/serve_cluster.rs holds to a real one), one for the proxy.
  let base;
  for (let tries = 0; tries < 20 && base === undefined; tries++) {
    const p = await freePort();
    if (p < 65000) base = p;
  }
  const cluster = spawn(bin, ['emulate', '--cluster', '3', '--listen', `127.0.0.1:${base}`], { stdio: 'ignore' });
  const proxyPort = await freePort();
  const origin = new URL(server.url).origin;
  let proxy;
  try {
    await until('the emulated cluster', async () =>
      execFileSync('redis-cli', ['-p', String(base + 2), 'PING'], { encoding: 'utf8' }).trim() === 'PONG');
    proxy = spawn(bin, ['serve', '--listen', `127.0.0.1:${proxyPort}`, '--redis', `redis://127.0.0.1:${base}`, '--allow-origin', origin], { stdio: 'ignore' });
    await until('the proxy', async () => (await fetch(`http://127.0.0.1:${proxyPort}/health`, { headers: { origin } })).ok);
    const page = await openPage(browser, server.url, { width: 1280, height: 900 });
    await page.fill('#backend-url', `ws://127.0.0.1:${proxyPort}/ws`);
    await page.click('#backend-remote');
    await page.locator('#backend-state', { hasText: 'connected' }).waitFor();
    // The map arrives with the connection (CLUSTER SHARDS); wait until a command is annotated.
    let note = '';
    for (let i = 0; i < 40 && !/slot 12182/.test(note); i++) {
      await run(page, 'SET foo 1');
      note = await page.locator('.scrollback .entry').last().innerText();
    }
    assert.match(note, new RegExp(`cluster: slot 12182, served by the shard at 127\\.0\\.0\\.1:${base + 2}`));
    assert.equal(execFileSync('redis-cli', ['-p', String(base + 2), 'GET', 'foo'], { encoding: 'utf8' }).trim(), '1',
      'the proxy sent the write to the shard that owns the slot');
    assert.match(await run(page, 'MSET user:1 a user:2 b'), /CROSSSLOT/);
    assert.match(await page.locator('.scrollback .entry').last().innerText(), /different slots/);
    // The key browser reads the same map: foo shows slot 12182 on the third shard.
    await page.getByRole('tab', { name: 'Key browser' }).click().catch(() => {});
    const slot = page.locator('.key-row[data-key="foo"] .slot');
    await slot.waitFor();
    assert.equal(await slot.getAttribute('data-slot'), '12182');
    assert.equal(await slot.getAttribute('data-shard'), '3');
    assert.deepEqual(page.errors.filter((e) => !/WebSocket/.test(e)), []);
    await page.close();
  } finally {
    proxy?.kill();
    cluster.kill();
  }
});
