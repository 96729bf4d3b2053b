// The engine's lazily loaded chunks (src/families.rs, scripts/page-wasm.sh): the page's first
// wasm answers the core families itself; RediSearch's commands and the rarely used families
// (streams, geo, JSON, bitmaps, HyperLogLog, SORT, DEBUG, DUMP...) fetch their chunk on first use,
// the command waits for it and answers as Redis does, and a chunk that fails to load is tried
// again by the next command.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, run } from './harness.mjs';

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

/** A page whose wasm requests are recorded (`chunks()`: the split chunks fetched so far). */
async function recordedPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requested = [];
  context.on('request', (request) => requested.push(new URL(request.url()).pathname));
  const page = await openPage(browser, server.url, { context });
  const chunks = () => requested.filter((path) => /\/(split_\w+|chunk_\d+)\.wasm$/.test(path)).map((path) => path.split('/').pop());
  return { page, context, chunks };
}

test('core commands need no chunk; a stream command fetches the rare families, FT.* fetches search', async () => {
  const { page, context, chunks } = await recordedPage();
  await page.waitForLoadState('networkidle');
  assert.equal(await run(page, 'SET greeting hello'), 'OK');
  assert.equal(await run(page, 'HSET doc:1 title "red fox"'), '(integer) 1');
  assert.equal(await run(page, 'ZADD board 10 ann'), '(integer) 1');
  assert.deepEqual(chunks(), [], 'nothing split off is fetched for the core families');

  assert.equal(await run(page, 'XADD events 1-1 kind click'), '"1-1"');
  assert.ok(chunks().includes('split_rare.wasm'), `the rare families' chunk: ${chunks()}`);
  assert.ok(!chunks().includes('split_search.wasm'), 'not the search chunk');
  assert.equal(await run(page, 'XLEN events'), '(integer) 1');
  assert.equal(await run(page, 'XGROUP CREATE events g 0'), 'OK');
  assert.equal(await run(page, 'GEOADD places 13.361389 38.115556 Palermo'), '(integer) 1');
  assert.equal(await run(page, 'PFADD visitors a b c'), '(integer) 1');
  assert.equal(await run(page, 'PFCOUNT visitors'), '(integer) 3');

  assert.equal(await run(page, 'FT.CREATE idx ON HASH PREFIX 1 doc: SCHEMA title TEXT'), 'OK');
  assert.ok(chunks().includes('split_search.wasm'), `the search chunk: ${chunks()}`);
  assert.match(await run(page, 'FT.SEARCH idx fox'), /1\) \(integer\) 1\n2\) "doc:1"/);
  const fetched = chunks().length;
  assert.equal(await run(page, 'FT.SEARCH idx nothing'), '1) (integer) 0');
  assert.equal(await run(page, 'XLEN events'), '(integer) 1');
  assert.equal(chunks().length, fetched, 'each chunk is fetched once');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('commands typed while a chunk loads run in order, MULTI queues a lazily loaded command', async () => {
  const { page, context } = await recordedPage();
  // Three lines in one paste: the first waits for the chunk, the other two wait behind it.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text', 'XADD s 1-1 a 1\nSET after-stream yes\nXRANGE s - +');
    const input = document.querySelector('#console-input');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  const replies = page.locator('.scrollback .entry .reply');
  await page.waitForFunction(() => document.querySelectorAll('.scrollback .entry .reply').length >= 3);
  assert.deepEqual(await replies.allInnerTexts(), ['"1-1"', 'OK', '1) 1) "1-1"\n   2) 1) "a"\n      2) "1"']);

  assert.equal(await run(page, 'MULTI'), 'OK');
  assert.equal(await run(page, 'JSON.SET doc $ \'{"n":1}\''), 'QUEUED');
  assert.equal(await run(page, 'JSON.NUMINCRBY doc $.n 2'), 'QUEUED');
  assert.equal(await run(page, 'EXEC'), '1) OK\n2) "[3]"');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a chunk that cannot be fetched says so, and the next command tries again', async () => {
  const { page, context, chunks } = await recordedPage();
  await context.route(/split_rare\.wasm$/, (route) => route.abort());
  const failed = await run(page, 'GEOADD g 13.361389 38.115556 Palermo');
  assert.match(failed, /needs the full engine/);
  assert.match(await page.locator('.scrollback .entry').last().innerText(), /could not be loaded/);
  await context.unroute(/split_rare\.wasm$/);
  assert.equal(await run(page, 'GEOADD g 13.361389 38.115556 Palermo'), '(integer) 1');
  assert.equal(chunks().filter((c) => c === 'split_rare.wasm').length, 2, 'fetched again after the failure');
  assert.equal(await run(page, 'GEODIST g Palermo Palermo'), '"0.0000"');
  await context.close();
});
