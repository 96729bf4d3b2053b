// End-to-end: the page's "real Redis via proxy" path against a real redis-server.
//
// With the proxy binary (target/debug/playground-proxy, or PLAYGROUND_PROXY_BIN) this would run
// through `playground-proxy serve`; until the proxy branch is merged here that test skips, and
// the page's remote path is exercised through a minimal WebSocket<->TCP relay written below
// (node:http 'upgrade' + node:crypto, RFC 6455 framing) to a redis-server started on a free port.
// Run: trunk build && node --test tests/e2e/backend.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer } from 'node:net';
import { startRelay } from './relay.mjs';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, launch, openPage, run, ROOT } from './harness.mjs';

let server;
let browser;
let redis;
let redisPort;
let relay;

async function freePort() {
  const s = createTcpServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

function redisCli(...args) {
  return execFileSync('redis-cli', ['-p', String(redisPort), ...args], { encoding: 'utf8' }).trim();
}

async function startRedis() {
  redisPort = await freePort();
  // A directory of its own: a dump.rdb left in the working directory (by another Redis) would be
  // loaded at start, and one written by a newer Redis stops this one with a fatal error.
  const dir = mkdtempSync(join(tmpdir(), 'e2e-redis-'));
  const proc = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try { if (redisCli('PING') === 'PONG') return proc; } catch { /* not up yet */ }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  proc.kill();
  throw new Error('redis-server did not start');
}

before(async () => {
  server = await serveDist();
  browser = await launch();
  redis = await startRedis();
  relay = await startRelay(redisPort);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await relay?.close();
  redis?.kill();
});

async function flipToRemote(page, url) {
  await page.fill('#backend-url', url);
  await page.click('#backend-remote');
}

test('through playground-proxy serve: commands reach the real server, dangerous ones are refused', async () => {
  const bin = process.env.PLAYGROUND_PROXY_BIN ?? join(ROOT, 'target', 'debug', 'playground-proxy');
  assert.ok(existsSync(bin), `playground-proxy binary at ${bin} (cargo build -p playground-proxy)`);
  const proxyPort = await freePort();
  const origin = new URL(server.url).origin;
  const proxy = spawn(bin, ['serve', '--listen', `127.0.0.1:${proxyPort}`, '--redis', `redis://127.0.0.1:${redisPort}`, '--allow-origin', origin], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`http://127.0.0.1:${proxyPort}/health`, { headers: { origin } }).then((r) => r.ok, () => false);
      if (up) break;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    const page = await openPage(browser, server.url);
    await flipToRemote(page, `ws://127.0.0.1:${proxyPort}/ws`);
    await page.locator('#backend-state', { hasText: 'connected' }).waitFor();
    assert.equal(await run(page, 'SET e2e:via-proxy "through the bridge"'), 'OK');
    assert.equal(redisCli('GET', 'e2e:via-proxy'), 'through the bridge', 'the write reached the real server');
    const refused = await run(page, 'FLUSHALL');
    assert.match(refused, /playground-proxy: FLUSHALL is disabled/);
    assert.equal(redisCli('EXISTS', 'e2e:via-proxy'), '1', 'FLUSHALL never reached the server');
    await page.close();
  } finally {
    proxy.kill();
  }
});

test('the switch sends console lines to a real redis-server and the key browser fills from it', async () => {
  const page = await openPage(browser, server.url);
  await flipToRemote(page, relay.url);
  await page.locator('#backend-state', { hasText: 'connected' }).waitFor();
  await page.locator('#backend-details', { hasText: 'Redis 7.' }).waitFor();

  // The clock's jumps would move only the page's clock, not the server's TTLs: off, and said why.
  const jump = page.locator('[data-jump="jump-min"]');
  assert.ok(await jump.isDisabled(), 'no clock jumps on a real server');
  assert.match(await jump.getAttribute('title'), /real server/);

  assert.equal(await run(page, 'SET e2e:greeting "hello from the page"'), 'OK');
  assert.equal(redisCli('GET', 'e2e:greeting'), 'hello from the page', 'the write reached the real server');
  redisCli('HSET', 'e2e:user:1', 'name', 'Ada', 'lang', 'rust');
  redisCli('SET', 'e2e:ttl', 'x', 'EX', '300');
  assert.equal(await run(page, 'HGET e2e:user:1 name'), '"Ada"');

  // The key browser reads the server (SCAN + TYPE + PTTL + MEMORY USAGE).
  const row = page.locator('#key-list .key-row[data-key="e2e:user:1"]');
  await row.waitFor();
  assert.equal(await row.locator('.type-badge').textContent(), 'hash');
  const ttlRow = page.locator('#key-list .key-row[data-key="e2e:ttl"] .ttl');
  await ttlRow.waitFor();
  assert.match(await ttlRow.innerText(), /^(5m 00s|4m \d\ds)$/);
  await row.click();
  await page.locator('#key-detail pre', { hasText: 'Ada' }).waitFor();

  // The server panel reads INFO from the server.
  await page.locator('.server .panel-head', { hasText: 'real server' }).waitFor();
  // Its hit ratio is the learner's: the key browser's TYPE/PTTL polls count on the server as
  // hits, but not here. The learner's one lookup (HGET) hit; idle polling adds nothing.
  await page.locator('#hit-ratio-note').waitFor();
  await page.waitForFunction(() => /[1-9]\d* hits/.test(document.querySelector('#hit-ratio-note')?.textContent ?? ''));
  const hits = async () => [await page.locator('#stat-hits').innerText(), await page.locator('#stat-misses').innerText()];
  const idle = await hits();
  assert.ok(Number(idle[0]) <= 3 && idle[1] === '0', `the learner's lookups only: ${idle}`);
  await page.waitForTimeout(4_500);
  assert.deepEqual(await hits(), idle, 'the page polling the server does not move the hit counts');
  const serverHits = Number(redisCli('INFO', 'stats').match(/keyspace_hits:(\d+)/)[1]);
  assert.ok(serverHits > Number(idle[0]) + 5, `the server itself counted the polls (${serverHits})`);
  assert.equal(await run(page, 'GET e2e:nothing'), '(nil)');
  await page.waitForFunction(() => document.querySelector('#stat-misses')?.textContent === '1');

  // Protocol tracking: HELLO 3 on the real connection makes replies RESP3.
  const hello = await run(page, 'HELLO 3');
  assert.match(hello, /1# "server" => "redis"/);
  assert.match(await run(page, 'HGETALL e2e:user:1'), /^1# "name" => "Ada"/);

  // Debian's redis-server has no search module: said in words, not pretended.
  await run(page, 'FT.SEARCH idx *');
  const note = await page.locator('.scrollback .entry').last().locator('.note').innerText();
  assert.match(note, /this server has no search module/);

  // Prompt follows SELECT on the real connection.
  assert.equal(await run(page, 'SELECT 2'), 'OK');
  assert.equal(await page.locator('#prompt').innerText(), 'redis[2]>');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the semantic lab on a server without the search module says so and loads nothing', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await flipToRemote(page, relay.url);
  await page.locator('#backend-state', { hasText: 'connected' }).waitFor();
  const before = redisCli('DBSIZE');
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.getByRole('tab', { name: 'Semantic cache lab' }).click();
  const missing = page.locator('[data-testid=sem-no-search]');
  await missing.waitFor({ timeout: 20000 });
  assert.match(await missing.innerText(), /no search module/);
  assert.ok(await page.locator('[data-testid=sem-starter]').isDisabled(), 'no starter set to load');
  assert.equal(redisCli('DBSIZE'), before, 'no hashes stored without an index');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('compare mode runs a line on both and marks the differing bytes', async () => {
  const page = await openPage(browser, server.url);
  await flipToRemote(page, relay.url);
  await page.locator('#backend-state', { hasText: 'connected' }).waitFor();
  await page.check('#compare-toggle');
  await run(page, 'PING');
  await page.locator('.scrollback .entry').last().locator('.compare.same').waitFor();
  // The emulator knows nothing of the key written straight to the server.
  redisCli('SET', 'e2e:only-on-server', 'v');
  await run(page, 'GET e2e:only-on-server');
  const cmp = page.locator('.scrollback .entry').last().locator('.compare.different');
  await cmp.waitFor();
  assert.equal(await cmp.locator('.compare-remote mark').innerText(), '1\\r\\n\nv');
  await page.close();
});

test('a proxy that is not there gives a plain-words error, not a hang', async () => {
  const page = await openPage(browser, server.url);
  const dead = await freePort();
  await flipToRemote(page, `ws://127.0.0.1:${dead}/ws`);
  const error = page.locator('#backend-error');
  await error.waitFor({ timeout: 10_000 });
  assert.match(await error.innerText(), /cannot reach the proxy at ws:\/\/127\.0\.0\.1:\d+\/ws/);
  const reply = await run(page, 'PING');
  assert.match(reply, /cannot reach the proxy/);
  // Back to the emulator: the console works again.
  await page.click('#backend-local');
  assert.equal(await run(page, 'PING'), 'PONG');
  await page.close();
});
