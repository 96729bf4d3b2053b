// The labs in real headless Chromium: a simulated hour of cache-aside traffic, and a semantic
// cache that answers a paraphrase from the cache and an unrelated question from the "LLM".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, run, screenshotPath } from './harness.mjs';

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

const ms = (text) => Number.parseFloat(text.replace(/[^0-9.]/g, ''));

test('the labs are a module of their own, loaded when the tab first opens; their clicks stay in the labs', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requested = [];
  context.on('request', (request) => requested.push(new URL(request.url()).pathname));
  const page = await openPage(browser, server.url, { context });
  await page.waitForLoadState('networkidle');
  assert.ok(!requested.some((path) => path.includes('labs_bg.wasm')), `no labs wasm before the tab opens: ${requested}`);
  const pageState = () => page.evaluate(() => ({
    tabs: [...document.querySelectorAll('.tab-bar:not(.lab-tabs) [role=tab]')].map((t) => t.getAttribute('aria-selected')),
    backend: document.querySelector('#backend-state')?.textContent,
    theme: document.documentElement.dataset.theme,
  }));
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.locator('[data-testid=lab-hour]').waitFor();
  assert.ok(requested.some((path) => path.endsWith('/labs/labs_bg.wasm')), 'the labs wasm is fetched with the tab');
  const before = await pageState();
  // Each wasm module numbers its yew trees from 1: without care, a click on a lab button ran
  // whichever page handler had the same number (it once switched the backend).
  for (const name of ['One read', 'One update', 'Reset stats', 'Simulate 1 hour', 'One read']) {
    await page.getByRole('button', { name, exact: true }).click();
  }
  await page.getByRole('tab', { name: 'Semantic cache lab' }).click();
  await page.locator('[data-testid=sem-prompt]').waitFor();
  await page.getByRole('tab', { name: 'Cache-aside lab' }).click();
  assert.deepEqual(await pageState(), before, 'the page around the labs did not react');
  // The invariant behind it: no element of the labs carries the page's tree number.
  const trees = await page.evaluate(() => ({
    page: document.body.__yew_subtree_id,
    labs: [...document.querySelectorAll('.labs-mount, .labs-mount *')].map((el) => el.__yew_subtree_id).filter((id) => id !== undefined),
  }));
  assert.ok(trees.page !== undefined && trees.labs.length > 0, `trees ${JSON.stringify(trees)}`);
  assert.ok(!trees.labs.includes(trees.page), `labs trees ${trees.labs} apart from the page's ${trees.page}`);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('cache-aside: an hour of traffic hits the cache, and hits are faster than misses', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.click('[data-testid=lab-hour]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=lab-hit-ratio]')?.textContent.startsWith('0.0'));
  const ratio = ms(await page.locator('[data-testid=lab-hit-ratio]').innerText());
  const hit = ms(await page.locator('[data-testid=lab-hit-p50]').innerText());
  const miss = ms(await page.locator('[data-testid=lab-miss-p50]').innerText());
  assert.ok(ratio > 0, `hit ratio ${ratio}%`);
  assert.ok(hit < miss, `hit p50 ${hit} ms < miss p50 ${miss} ms`);
  // The lab's keys are real: the console sees them with their TTL.
  await page.getByRole('tab', { name: 'Console' }).click();
  await page.fill('#console-input', 'TTL product:0');
  await page.press('#console-input', 'Enter');
  await page.waitForFunction(() => /\(integer\) \d+/.test(document.querySelector('.scrollback .entry:last-child .reply')?.textContent ?? ''));
  await page.getByRole('tab', { name: 'Labs' }).click();
  // Coming back to the tab finds the run where it was, not a fresh one.
  assert.equal(ms(await page.locator('[data-testid=lab-hit-ratio]').innerText()), ratio, 'the results survive a tab switch');
  // Let the last request's path finish drawing (each hop animates after the one before).
  await page.locator('.flow-outcome').evaluate((el) => Promise.all(el.closest('svg').getAnimations({ subtree: true }).map((a) => a.finished)));
  await page.screenshot({ path: screenshotPath('lab-cache-aside.png') });
  assert.deepEqual(page.errors, []);
});

test('cache-aside: the simulated hour says first which of the learner\'s keys it expires, and can be undone', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  const run = async (line) => {
    await page.getByRole('tab', { name: 'Console' }).click();
    const before = await page.locator('.scrollback .entry').count();
    await page.fill('#console-input', line);
    await page.press('#console-input', 'Enter');
    await page.waitForFunction((n) => document.querySelectorAll('.scrollback .entry').length > n, before);
    return page.locator('.scrollback .entry:last-child .reply').innerText();
  };
  await run('SET session:me hello EX 600');
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.click('[data-testid=lab-hour]');
  const confirm = page.locator('[data-testid=lab-hour-confirm]');
  assert.match(await confirm.innerText(), /1 of your own key outside the lab will expire/);
  assert.equal(await run('EXISTS session:me'), '(integer) 1', 'nothing moved before the learner agreed');
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.click('[data-testid=lab-hour-go]');
  await page.locator('[data-testid=lab-hour-done]').waitFor();
  assert.equal(await run('EXISTS session:me'), '(integer) 0', 'the hour expired the console\'s key');
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.click('[data-testid=lab-hour-undo]');
  assert.equal(await page.locator('[data-testid=lab-hour-done]').count(), 0);
  assert.equal(await run('EXISTS session:me'), '(integer) 1', 'undo brought the key back');
  const ttl = Number((await run('TTL session:me')).match(/\d+/)[0]);
  assert.ok(ttl > 500 && ttl <= 600, `its TTL as before the hour: ${ttl}`);
  assert.deepEqual(page.errors, []);
});

test('semantic cache: a paraphrase hits, an unrelated question misses', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.getByRole('tab', { name: 'Semantic cache lab' }).click();
  await page.waitForSelector('[data-testid=sem-model]', { timeout: 20000 });
  await page.click('[data-testid=sem-starter]');
  const ask = async (text) => {
    await page.fill('[data-testid=sem-prompt]', text);
    await page.click('[data-testid=sem-ask]');
    await page.waitForSelector('[data-testid=sem-decision]');
    return page.locator('[data-testid=sem-decision]').innerText();
  };
  assert.equal(await ask('I forgot my password, how can I change it?'), 'HIT');
  // The HNSW graph shows the search's path: distance computations in order and the results.
  assert.ok((await page.locator('.hnsw-node.visited').count()) > 0, 'the search visited nodes');
  assert.equal(await page.locator('.hnsw-node.result').count(), 3, 'KNN 3 results ringed');
  await page.screenshot({ path: screenshotPath('lab-semantic-cache.png') });
  assert.equal(await ask('What is the tallest mountain in Europe?'), 'MISS');
  // The lab judges its own paraphrases and unrelated questions, misses included...
  assert.equal(await page.locator('[data-testid=sem-verdict]').innerText(), 'judged wrong');
  const title = () => page.locator('[data-testid=sem-curve-title]').textContent();
  assert.equal(await title(), 'Precision vs hit rate (2 questions, 2 judged)');
  // Back from the console, the lab still shows the last question and its log.
  await page.getByRole('tab', { name: 'Console' }).click();
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.getByRole('tab', { name: 'Semantic cache lab' }).click();
  assert.equal(await page.locator('[data-testid=sem-decision]').innerText(), 'MISS');
  assert.equal(await page.locator('[data-testid=sem-prompt]').inputValue(), 'What is the tallest mountain in Europe?');
  // ...and leaves a question it cannot judge to the learner, out of precision until judged.
  await ask('How long should I boil an egg?');
  await page.waitForFunction(() => document.querySelector('[data-testid=sem-curve-title]')?.textContent.includes('3 questions'));
  assert.equal(await page.locator('[data-testid=sem-verdict]').innerText(), 'unjudged: not counted in precision');
  assert.equal(await title(), 'Precision vs hit rate (3 questions, 2 judged)');
  await page.click('[data-testid=sem-judge-wrong]');
  assert.equal(await page.locator('[data-testid=sem-verdict]').innerText(), 'judged wrong');
  assert.equal(await title(), 'Precision vs hit rate (3 questions, 3 judged)');
  const precision = await page.locator('[data-testid=sem-precision]').getAttribute('points');
  assert.ok(precision.trim().length > 0, 'a precision line once hits are judged');
  for (const point of precision.trim().split(' ')) {
    const y = Number(point.split(',')[1]);
    assert.ok(y >= 20 && y <= 130, `precision point ${point} within the chart`);
  }
  assert.deepEqual(page.errors, []);
});

test('semantic cache on JSON documents: the index is ON JSON, entries are JSON, a paraphrase hits', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.getByRole('tab', { name: 'Semantic cache lab' }).click();
  await page.waitForSelector('[data-testid=sem-model]', { timeout: 20000 });
  assert.match(await page.locator('[data-testid=sem-create]').innerText(), /^FT\.CREATE idx:cache ON HASH PREFIX 1 cache: SCHEMA prompt TEXT /);
  await page.click('[data-testid=sem-storage-json]');
  // What changes, said and shown: the FT.CREATE the lab sends for JSON documents.
  assert.equal(await page.locator('[data-testid=sem-create]').innerText(),
    'FT.CREATE idx:cache-json ON JSON PREFIX 1 cache-json: SCHEMA $.prompt AS prompt TEXT $.response AS response TEXT '
    + '$.embedding AS embedding VECTOR HNSW 6 TYPE FLOAT32 DIM 128 DISTANCE_METRIC COSINE');
  assert.match(await page.locator('[data-testid=sem-storage-note]').innerText(), /JSON\.SET/);
  await page.click('[data-testid=sem-starter]');
  await page.fill('[data-testid=sem-prompt]', 'I forgot my password, how can I change it?');
  await page.click('[data-testid=sem-ask]');
  await page.waitForSelector('[data-testid=sem-decision]');
  assert.equal(await page.locator('[data-testid=sem-decision]').innerText(), 'HIT');
  assert.ok((await page.locator('.hnsw-node.result').count()) > 0, 'the HNSW view reads the JSON index');
  // The entries are JSON documents the console can read, and the index says ON JSON.
  await page.getByRole('tab', { name: 'Console' }).click();
  const keys = await run(page, 'KEYS cache-json:*');
  const first = keys.match(/"(cache-json:[0-9a-f]+)"/)[1];
  assert.equal(await run(page, `TYPE ${first}`), 'ReJSON-RL');
  assert.match(await run(page, `JSON.GET ${first} $.embedding[0]`), /^"\[-?\d/);
  assert.match(await run(page, 'FT.INFO idx:cache-json'), /key_type\s+\d+\) JSON\n/);
  assert.deepEqual(page.errors, []);
});

