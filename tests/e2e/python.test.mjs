// The Python tab in headless Chromium: real Python (Pyodide) with the real redis-py against the
// page's engine. Each notebook cell must print what the same code prints natively with redis-py
// against the Redis 7.4 oracle (tests/e2e/python_native.py; target/redis-py-venv from
// scripts/dev.sh); the cache-aside cell's key shows in the key browser with its TTL;
// window.playground.runPython resolves to the output and rejects with the traceback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer as createTcpServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveDist, launch, openPage, screenshotPath, ROOT } from './harness.mjs';
import { CELLS } from '../../static/python/cells.js';

const ORACLE_PORT = process.env.REDIS_ORACLE_PORT ?? 16379;
const PYTHON = join(ROOT, 'target', 'redis-py-venv', 'bin', 'python');

let server, browser, page;
before(async () => {
  server = await serveDist();
  browser = await launch();
  page = await openPage(browser, server.url);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** What each of `sources` prints when run natively against the oracle (after a FLUSHALL). */
function nativeOutputs(sources = CELLS.map((c) => (c.native === false ? '' : c.code))) {
  const run = spawnSync(PYTHON, [join(ROOT, 'tests', 'e2e', 'python_native.py'), String(ORACLE_PORT)], {
    input: JSON.stringify(sources),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `native run failed: ${run.stderr}`);
  return run.stdout.split(/\x00cell \d+\n/).slice(1);
}

test('the notebook runs every cell as redis-py does against Redis 7.4, and the key browser follows', async () => {
  const expected = nativeOutputs();
  assert.equal(expected.length, CELLS.length);

  const opened = Date.now();
  await page.getByRole('tab', { name: 'Python' }).click();
  await page.waitForSelector('.py-status[data-ready=true]', { timeout: 60_000 });
  const cell = (i) => page.locator(`.py-cell[data-cell="${i}"]`);
  let firstResultMs;
  for (let i = 0; i < CELLS.length; i++) {
    await cell(i).locator('.py-run').click();
    await page.waitForFunction(
      (i) => ['done', 'error'].includes(document.querySelector(`.py-cell[data-cell="${i}"]`).dataset.state),
      i,
      { timeout: 30_000 },
    );
    firstResultMs ??= Date.now() - opened;
    const output = await cell(i).locator('.py-out').evaluate((e) => e.textContent);
    assert.equal(await cell(i).getAttribute('data-state'), 'done', `cell ${i}: ${output}`);
    if (CELLS[i].native !== false) {
      assert.equal(output, expected[i], `cell ${i} (${CELLS[i].title}) prints what redis-py prints against Redis`);
    }
    if (CELLS[i].title === 'Cache-aside with a TTL') {
      // The key browser (beside the notebook) shows the cached product with its TTL.
      const row = page.locator('#key-list .key-row:not(.gone-row)[data-key="product:7"]');
      await row.waitFor({ timeout: 5_000 });
      assert.match(await row.locator('.ttl.has-ttl').innerText(), /^(5m 00s|4m 5\ds)$/);
    }
    if (CELLS[i].title === 'Semantic cache at 0.95') {
      // A rephrasing is a HIT at 0.95; a near miss and an unrelated question are MISSes.
      assert.match(output, /^HIT  0\.9[5-9]\d How can I reset my password\? -> Settings/m);
      assert.match(output, /^MISS 0\.\d+ How can I change my password\? -> None$/m);
      assert.match(output, /^MISS -?0\.\d+ What is the capital of France\? -> None$/m);
    }
  }
  console.log(`Python tab: opened to first cell result in ${firstResultMs} ms`);
  await cell(2).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('python.png') });
  assert.deepEqual(page.errors, []);
});

test('window.playground.runPython: printed output, tracebacks, RESP3, pipelines, from_url', async () => {
  const out = await page.evaluate(() =>
    window.playground.runPython(`
import redis
r = redis.from_url("rediss://:secret@example.com:10000/0", decode_responses=True)
r.set("n", 1)
with r.pipeline() as p:
    p.incr("n").incrby("n", 10).get("n")
    print(p.execute())
r3 = redis.StrictRedis(protocol=3, decode_responses=True)
print(r3.execute_command("HELLO", 3)["proto"])
pool = redis.ConnectionPool(host="nowhere", port=1)
print(redis.Redis(connection_pool=pool).get("n"))
print(sorted(r.scan_iter("n*")))
`),
  );
  assert.equal(out, "[2, 12, '12']\n3\nb'12'\n['n']\n");
  const failure = await page.evaluate(() =>
    window.playground.runPython('import redis\nr = redis.Redis()\nr.hset("h", "f", 1)\nr.get("h")\n').then(
      () => 'resolved',
      (e) => e.message,
    ),
  );
  assert.match(failure, /^Traceback \(most recent call last\):\n {2}File "<cell>", line 4, in <module>/);
  assert.match(failure, /redis\.exceptions\.ResponseError: WRONGTYPE Operation against a key holding the wrong kind of value\n$/);
});

test('pub/sub messages and blocking pops, as redis-py gets them from Redis 7.4', async () => {
  const source = `import redis
r = redis.Redis(decode_responses=True)
p = r.pubsub()
p.subscribe("news")
print(p.get_message(timeout=1))
print(r.publish("news", "hello"))
print(p.get_message(timeout=1))
print(p.get_message(timeout=0.2))
p.unsubscribe()
print(p.get_message(timeout=1))
r.delete("jobs")
print(r.blpop("jobs", timeout=1))
r.rpush("jobs", "a", "b")
print(r.blpop("jobs", timeout=1), r.brpop(["jobs"], timeout=1))
`;
  const [expected] = nativeOutputs([source]);
  const out = await page.evaluate((source) => window.playground.runPython(source), source);
  assert.equal(out, expected);
});

test('a running script keeps the page live (the key browser follows it) and stops at Stop', async () => {
  await page.evaluate(() => {
    window.spin = window.playground.runPython(
      'import redis\nr = redis.Redis()\nwhile True:\n    r.incr("py:spin")\n',
    ).then(() => 'finished', (e) => e.message);
  });
  // While Python runs, the page's clock tick redraws the key browser with the counter.
  const row = page.locator('#key-list .key-row:not(.gone-row)[data-key="py:spin"]');
  await row.waitFor({ timeout: 10_000 });
  await page.evaluate(async () => (await window.playground.python()).stop());
  const result = await page.evaluate(() => window.spin);
  assert.match(result, /^Traceback \(most recent call last\):\n/);
  assert.match(result, /KeyboardInterrupt: stopped from the page\n$/);
  const count = await page.evaluate(() => window.playground.runPython('import redis\nprint(int(redis.Redis().get("py:spin")) > 0)'));
  assert.equal(count, 'True\n');
});

async function freePort() {
  const s = createTcpServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

test("a real server through the proxy: redis-py's connections follow the page's backend switch", async (t) => {
  const bin = process.env.PLAYGROUND_PROXY_BIN ?? join(ROOT, 'target', 'debug', 'playground-proxy');
  assert.ok(existsSync(bin), `playground-proxy binary at ${bin} (cargo build -p playground-proxy)`);
  const proxyPort = Number(process.env.PYTHON_PROXY_PORT ?? (await freePort()));
  const origin = new URL(server.url).origin;
  // A stand-in for the embeddings provider behind the proxy: 8 numbers per text.
  const provider = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const input = JSON.parse(body).input;
      const data = (Array.isArray(input) ? input : [input]).map((t, index) => ({ object: 'embedding', index, embedding: [t.length, 1, 2, 3, 4, 5, 6, 0.5] }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
    });
  });
  await new Promise((ok) => provider.listen(Number(process.env.PYTHON_PROVIDER_PORT ?? 0), '127.0.0.1', ok));
  const proxy = spawn(bin, [
    'serve', '--listen', `127.0.0.1:${proxyPort}`, '--redis', `redis://127.0.0.1:${ORACLE_PORT}`, '--allow-origin', origin,
    '--embeddings-url', `http://127.0.0.1:${provider.address().port}/v1`, '--embeddings-key', 'sk-test',
    '--embeddings-deployment', 'text-embedding-3-small',
  ], { stdio: 'ignore' });
  t.after(() => {
    proxy.kill();
    provider.close();
  });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${proxyPort}/health`, { headers: { origin } }).then((r) => r.ok, () => false);
    if (up) break;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  // The same page (its Python already loaded) switched to the real server.
  const remote = page;
  await remote.fill('#backend-url', `ws://127.0.0.1:${proxyPort}/ws`);
  await remote.click('#backend-remote');
  await remote.locator('#backend-state', { hasText: 'connected' }).waitFor();
  const out = await remote.evaluate(() =>
    window.playground.runPython(`
import redis, time
r = redis.Redis(host="my-cache.westeurope.redis.azure.net", port=10000, ssl=True, password="x", decode_responses=True)
r.set("py:remote", "via the proxy", ex=60)
print(r.get("py:remote"), r.ttl("py:remote"))
started = time.monotonic()
print(r.blpop("py:empty", timeout=1), round(time.monotonic() - started))
from openai import AzureOpenAI
client = AzureOpenAI(api_key="x", api_version="2024-06-01", azure_endpoint="https://x")
print(client.embeddings.create(input="hello", model="text-embedding-3-small").data[0].embedding)
`),
  );
  // The proxy's model answered (the page's MiniLM would give 128 numbers).
  assert.equal(out, 'via the proxy 60\nNone 1\n[5.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.5]\n');
  // The key is on the real server.
  const check = spawnSync(PYTHON, ['-c', `import redis; print(redis.Redis(port=${ORACLE_PORT}).get("py:remote"))`], { encoding: 'utf8' });
  assert.equal(check.stdout, "b'via the proxy'\n");
  assert.deepEqual(remote.errors, []);
});

test("the console's Python mode: a REPL with redis-py against the page's engine", async () => {
  const p = await openPage(browser, server.url);
  await p.click('#python-toggle');
  assert.equal(await p.locator('#prompt').innerText(), '>>>');
  const runLine = async (line) => {
    const before = await p.locator('.scrollback .entry').count();
    await p.fill('#console-input', line);
    await p.press('#console-input', 'Enter');
    await p.waitForFunction((n) => document.querySelectorAll('.scrollback .entry').length > n, before, { timeout: 60_000 });
    return p.locator('.scrollback .entry .reply').last().innerText();
  };
  // Names persist from line to line; an expression's value prints as the Python prompt prints it.
  assert.equal(await runLine('import redis; r = redis.Redis(host="example.redis.azure.net", port=10000, ssl=True, decode_responses=True)'), '');
  assert.equal(await runLine('r.set("greeting", "hello", ex=300)'), 'True');
  assert.equal(await runLine('r.get("greeting")'), "'hello'");
  assert.match(await runLine('r.incr("greeting")'), /Traceback[\s\S]*ResponseError: value is not an integer or out of range/);
  await p.locator('.key-row[data-key="greeting"] .ttl.has-ttl').waitFor();
  // Back to redis-cli: the same key, through the console's own connection.
  await p.click('#python-toggle');
  assert.notEqual(await p.locator('#prompt').innerText(), '>>>');
  await p.fill('#console-input', 'GET greeting');
  await p.press('#console-input', 'Enter');
  await p.waitForFunction(() => document.querySelector('.scrollback .entry:last-child .reply')?.innerText === '"hello"');
  assert.deepEqual(p.errors, []);
  await p.close();
});
