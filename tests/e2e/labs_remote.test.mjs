// End-to-end: both labs against a real Redis 7.4 with RediSearch, through `playground-proxy serve`.
// The page runs the same flows it runs on the in-page engine; here they travel over the proxy's
// WebSocket, and the keys, the index and the TTLs are checked on the real server with redis-cli.
// The "real model via the proxy" embedder is checked against a small fake of the OpenAI
// embeddings API that insists on the proxy's key (which the page never sees).
// Run: trunk build --release && cargo build -p playground-proxy && node --test tests/e2e/labs_remote.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveDist, launch, openPage, screenshotPath, ROOT } from './harness.mjs';

const STACK = join(ROOT, '..', 'shared', 'oracle', 'redis-stack');
const KEY = 'sk-fake-provider-key-0042';

let server;
let browser;
let stackPort;
let proxy;
let proxyPort;
let provider;
const providerCalls = [];

async function freePort() {
  const s = createTcpServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

function cli(...args) {
  return execFileSync(STACK, ['cli', String(stackPort), ...args], { encoding: 'utf8' }).trim();
}

/** Words of a text, hashed into 64 buckets and normalised: equal word sets give equal vectors. */
function fakeEmbedding(text) {
  const v = new Array(64).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (const c of word) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    v[h % 64] += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** The OpenAI embeddings API as far as the proxy uses it. */
async function startProvider() {
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      providerCalls.push({ path: req.url, auth: req.headers.authorization });
      if (req.headers.authorization !== `Bearer ${KEY}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"bad key"}}');
        return;
      }
      const input = JSON.parse(body).input;
      const data = (Array.isArray(input) ? input : [input]).map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(t) }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
    });
  });
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  return s;
}

before(async () => {
  assert.ok(existsSync(STACK), `the RediSearch oracle script at ${STACK}`);
  stackPort = await freePort();
  execFileSync(STACK, ['start', String(stackPort)], { stdio: 'ignore' });
  provider = await startProvider();
  server = await serveDist();
  browser = await launch();
  const bin = process.env.PLAYGROUND_PROXY_BIN ?? join(ROOT, 'target', 'debug', 'playground-proxy');
  assert.ok(existsSync(bin), `playground-proxy binary at ${bin} (cargo build -p playground-proxy)`);
  proxyPort = await freePort();
  const origin = new URL(server.url).origin;
  proxy = spawn(bin, [
    'serve', '--listen', `127.0.0.1:${proxyPort}`, '--redis', `redis://127.0.0.1:${stackPort}`, '--allow-origin', origin,
    '--embeddings-url', `http://127.0.0.1:${provider.address().port}/v1`, '--embeddings-key', KEY,
    '--embeddings-deployment', 'text-embedding-3-small',
  ], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${proxyPort}/health`, { headers: { origin } }).then((r) => r.ok, () => false);
    if (up) break;
    await new Promise((ok) => setTimeout(ok, 50));
  }
});

after(async () => {
  proxy?.kill();
  await browser?.close();
  await server?.close();
  await new Promise((ok) => (provider ? provider.close(ok) : ok()));
  if (stackPort) execFileSync(STACK, ['stop', String(stackPort)], { stdio: 'ignore' });
});

async function openRemote(labTab) {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await page.fill('#backend-url', `ws://127.0.0.1:${proxyPort}/ws`);
  await page.click('#backend-remote');
  await page.locator('#backend-state', { hasText: 'connected' }).waitFor();
  await page.getByRole('tab', { name: 'Labs' }).click();
  if (labTab) await page.getByRole('tab', { name: labTab }).click();
  return page;
}

/** Ask the semantic lab and wait for this question's own result (replies arrive later now). */
async function ask(page, text) {
  await page.fill('[data-testid=sem-prompt]', text);
  await page.click('[data-testid=sem-ask]');
  await page.locator('.semantic-lab h3', { hasText: `Embedding of “${text}”` }).waitFor();
  return page.locator('[data-testid=sem-decision]').innerText();
}

test('semantic lab on a real server: the index, the cached prompts and their TTL live in Redis', async () => {
  const page = await openRemote('Semantic cache lab');
  assert.match(await page.locator('[data-testid=sem-target]').innerText(), /real server behind the proxy/);
  await page.waitForSelector('[data-testid=sem-model]', { timeout: 20000 });
  await page.click('[data-testid=sem-starter]');
  await page.waitForFunction(() => /Cached prompts \((\d+)\)/.exec(document.body.textContent)?.[1] >= 10);
  assert.match(cli('FT._LIST'), /idx:cache/);
  assert.equal(Number(cli('EVAL', "return #redis.call('KEYS', 'cache:*')", '0')), 10);

  assert.equal(await ask(page, 'I forgot my password, how can I change it?'), 'HIT');
  assert.equal(await ask(page, 'What is the tallest mountain in Europe?'), 'MISS');
  // The miss was stored on the server with the course's HSET + EXPIRE.
  const keys = cli('EVAL', "return redis.call('KEYS', 'cache:*')", '0').split('\n');
  assert.equal(keys.length, 11);
  const ttls = keys.map((k) => Number(cli('TTL', k)));
  assert.ok(ttls.every((t) => t > 3500 && t <= 3600), `TTLs ${ttls}`);
  // The graph view says why it is not drawn, instead of drawing the page's own engine.
  await page.locator('[data-testid=sem-hnsw-remote]').waitFor();
  await page.screenshot({ path: screenshotPath('lab-semantic-remote.png') });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('semantic lab with a real model through the proxy: the key stays in the proxy', async () => {
  const page = await openRemote('Semantic cache lab');
  await page.click('[data-testid=sem-kind-proxy]');
  await page.locator('[data-testid=sem-model]', { hasText: '/embeddings' }).waitFor();
  assert.equal(await page.locator('[data-testid=sem-threshold]').inputValue(), '0.95', "the course's threshold");
  assert.equal(await ask(page, 'How do I rotate the access key of my cache?'), 'MISS');
  assert.equal(await ask(page, 'how do I rotate the access key of my cache'), 'HIT');
  assert.match(cli('FT.INFO', 'idx:cache-model'), /dim\n64\n/i, 'the index takes the model\'s dimension');
  assert.ok(providerCalls.length >= 2 && providerCalls.every((c) => c.auth === `Bearer ${KEY}` && c.path === '/v1/embeddings'));
  const html = await page.content();
  assert.ok(!html.includes(KEY), 'the provider key never reaches the page');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('cache-aside lab on a real server: traffic in real time fills Redis with TTL-bound keys', async () => {
  const page = await openRemote();
  assert.match(await page.locator('[data-testid=lab-target]').innerText(), /real server behind the proxy/);
  assert.ok(await page.locator('[data-testid=lab-hour]').isDisabled(), 'an hour cannot be fast-forwarded on a real server');
  await page.click('[data-testid=lab-run]');
  await page.waitForFunction(() => Number.parseFloat(document.querySelector('[data-testid=lab-hit-ratio]')?.textContent ?? '0') > 0, null, { timeout: 20000 });
  await page.click('[data-testid=lab-run]');
  const keys = cli('EVAL', "return redis.call('KEYS', 'product:*')", '0').split('\n').filter(Boolean);
  assert.ok(keys.length > 0, 'the lab wrote to the real server');
  const ttl = Number(cli('TTL', keys[0]));
  assert.ok(ttl > 0 && ttl <= 300, `TTL ${ttl}`);
  // The animated path of the last request is drawn with its commands.
  assert.ok(Number(await page.locator('[data-testid=flow-diagram]').getAttribute('data-hops')) >= 2);
  assert.match(await page.locator('.flow-hop-label').first().textContent(), /^GET product:\d+$/);
  assert.deepEqual(page.errors, []);
  await page.close();
});
