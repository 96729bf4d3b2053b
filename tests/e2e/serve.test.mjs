// End-to-end: the page as `scripts/dev.sh serve` serves it (trunk serve, with Trunk.toml's proxy
// routes), which `scripts/dev.sh test` starts and names in E2E_URL. Covers what only that server
// can break: a proxy route shadowing the page's own files (the semantic lab's MiniLM model under
// embeddings/ once went to the proxy), the switch to a real Redis through trunk's `/ws` route, and
// the embeddings endpoint reaching the proxy through trunk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { E2E_URL, DIST, ROOT, launch, openPage, run } from './harness.mjs';

const skip = E2E_URL ? false : 'needs E2E_URL (scripts/dev.sh test starts scripts/dev.sh serve and sets it)';

/** Trunk.toml's proxy routes: the path of each backend URL, which trunk forwards as a prefix. */
function proxyRoutes() {
  const toml = readFileSync(join(ROOT, 'Trunk.toml'), 'utf8');
  return [...toml.matchAll(/^backend\s*=\s*"([^"]+)"/gm)].map((m) => new URL(m[1]).pathname);
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
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

async function until(what, check, ms = 10000) {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await check().catch(() => false)) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { await browser?.close(); });

test('no proxy route of Trunk.toml shadows a file of the page', { skip }, async () => {
  const routes = proxyRoutes();
  assert.ok(routes.includes('/ws') && routes.includes('/api/embeddings'), `routes: ${routes}`);
  const files = filesUnder(DIST).map((f) => '/' + relative(DIST, f).split('\\').join('/'));
  assert.ok(files.some((f) => f.startsWith('/embeddings/')), 'the MiniLM model is part of the page');
  for (const file of files) {
    for (const route of routes) assert.ok(!file.startsWith(route), `${route} would send ${file} to the proxy`);
  }
  // And trunk really serves them: the model's table, byte for byte.
  const served = await fetch(new URL('embeddings/minilm-128.bin', E2E_URL));
  assert.equal(served.status, 200);
  const bytes = Buffer.from(await served.arrayBuffer());
  assert.ok(bytes.equals(readFileSync(join(ROOT, 'static', 'embeddings', 'minilm-128.bin'))));
});

test('the semantic lab gets its MiniLM model from the served page', { skip }, async () => {
  const page = await openPage(browser, E2E_URL, { width: 1280, height: 900 });
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.getByRole('tab', { name: 'Semantic cache lab' }).click();
  await page.locator('[data-testid=sem-model]', { hasText: 'MiniLM' }).waitFor({ timeout: 30000 });
  await page.click('[data-testid=sem-starter]');
  await page.fill('[data-testid=sem-prompt]', 'I forgot my password, how can I change it?');
  await page.click('[data-testid=sem-ask]');
  await page.waitForSelector('[data-testid=sem-decision]');
  assert.equal(await page.locator('[data-testid=sem-decision]').innerText(), 'HIT');
  assert.deepEqual(page.errors.filter((e) => /embeddings|HTTP 5\d\d/.test(e)), []);
  await page.close();
});

test("the switch reaches a real redis-server through trunk's /ws route, and /api/embeddings the proxy", { skip }, async () => {
  const bin = process.env.PLAYGROUND_PROXY_BIN ?? join(ROOT, 'target', 'debug', 'playground-proxy');
  assert.ok(existsSync(bin), `playground-proxy binary at ${bin} (cargo build -p playground-proxy)`);
  const redisPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'serve-e2e-'));
  const redis = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  // Trunk.toml forwards to the proxy's default address, 127.0.0.1:7380.
  const origin = new URL(E2E_URL).origin;
  const proxy = spawn(bin, ['serve', '--listen', '127.0.0.1:7380', '--redis', `redis://127.0.0.1:${redisPort}`, '--allow-origin', origin], { stdio: 'ignore' });
  try {
    await until('the proxy', async () => (await fetch('http://127.0.0.1:7380/health', { headers: { origin } })).ok);
    // Through trunk: the proxy's own answer (no embeddings model configured), not trunk's error.
    const embed = await fetch(new URL('api/embeddings', E2E_URL), {
      method: 'POST', headers: { 'content-type': 'application/json', origin }, body: '{"input":["x"]}',
    });
    assert.equal(embed.status, 404);
    assert.match((await embed.json()).error, /embeddings/);

    const page = await openPage(browser, E2E_URL);
    const sameOrigin = `${origin.replace(/^http/, 'ws')}/ws`;
    await page.fill('#backend-url', sameOrigin);
    await page.click('#backend-remote');
    await page.locator('#backend-state', { hasText: 'connected' }).waitFor();
    assert.equal(await run(page, 'SET serve:greeting "through trunk"'), 'OK');
    const got = execFileSync('redis-cli', ['-p', String(redisPort), 'GET', 'serve:greeting']).toString().trim();
    assert.equal(got, 'through trunk', 'the write reached the real server');
    await page.close();
  } finally {
    proxy.kill();
    redis.kill();
  }
});
