// End-to-end: the page built by `trunk build`, served on localhost, in headless Chromium.
// Run: trunk build --release && node --test tests/e2e/
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

const text = (page, selector) => page.locator(selector).first().innerText();

test('SET with EX appears with a TTL, expires after a 5-minute jump, expired_keys rises', async (t) => {
  const page = await openPage(browser, server.url);
  const reply = await run(page, 'SET k v EX 300');
  if (reply.includes('syntax error')) {
    // SET's options land with the strings-keys engine branch; until it is merged there is no way to give a TTL.
    t.skip(`this engine build does not support SET ... EX yet (replied: ${reply})`);
    return;
  }
  assert.equal(reply, 'OK');
  const row = page.locator('#key-list .key-row:not(.gone-row)[data-key="k"]');
  await row.waitFor();
  assert.match(await row.locator('.ttl').innerText(), /^(5m 00s|4m \d\ds)$/);
  assert.equal(await text(page, '#stat-expired'), '0');
  await page.screenshot({ path: screenshotPath('ttl-before-jump.png') });

  for (let i = 0; i < 5; i++) await page.click('[data-jump="jump-min"]');
  await row.waitFor({ state: 'detached' });
  await page.locator('.gone-row.flash-expired[data-key="k"]').waitFor();
  assert.equal(await text(page, '#stat-expired'), '1');
  assert.equal(await run(page, 'GET k'), '(nil)');
  await page.screenshot({ path: screenshotPath('ttl-after-jump.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('keys, clock and history survive a reload', async () => {
  const page = await openPage(browser, server.url);
  assert.equal(await run(page, 'SET user:1 Ada'), 'OK');
  assert.equal(await run(page, 'SET "greeting text" "hello world"'), 'OK');
  await page.click('[data-jump="jump-hour"]');
  const simBefore = Number(await page.locator('#sim-time').getAttribute('data-ms'));

  await page.reload();
  await page.waitForSelector('#console-input');
  await page.locator('#key-list [data-key="user:1"]').waitFor();
  await page.locator('#key-list [data-key="greeting text"]').waitFor();
  assert.match(await text(page, '.notice'), /restored 2 key/);
  const simAfter = Number(await page.locator('#sim-time').getAttribute('data-ms'));
  assert.ok(simAfter >= simBefore, `virtual clock kept (${simBefore} -> ${simAfter})`);
  assert.equal(await run(page, 'GET "greeting text"'), '"hello world"');

  // History survived too: ArrowUp brings back the last line typed before the reload.
  await page.press('#console-input', 'ArrowUp');
  await page.press('#console-input', 'ArrowUp');
  assert.equal(await page.inputValue('#console-input'), 'SET "greeting text" "hello world"');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a search index survives a reload and the notice names it', async () => {
  const page = await openPage(browser, server.url);
  assert.equal(await run(page, 'FT.CREATE idx:faq ON HASH PREFIX 1 faq: SCHEMA q TEXT a TEXT v VECTOR HNSW 6 TYPE FLOAT32 DIM 4 DISTANCE_METRIC COSINE'), 'OK');
  await run(page, 'HSET faq:1 q "what is redis" a "an in-memory data store"');
  await run(page, 'HSET faq:2 q "what is a vector" a "a list of numbers"');

  await page.reload();
  await page.waitForSelector('#console-input');
  await page.locator('#key-list [data-key="faq:1"]').waitFor();
  assert.match(await text(page, '.notice'), /restored 2 keys and 1 search index \(idx:faq\)/);
  assert.match(await run(page, 'FT._LIST'), /idx:faq/);
  assert.match(await run(page, 'FT.SEARCH idx:faq vector NOCONTENT'), /faq:2/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('console: Tab completion, hints, multi-line paste, raw bytes view', async () => {
  const page = await openPage(browser, server.url);
  await page.fill('#console-input', 'PI');
  await page.press('#console-input', 'Tab');
  assert.equal(await page.inputValue('#console-input'), 'PING ');
  await page.fill('#console-input', 'get ');
  assert.equal(await text(page, '.mirror-hint'), 'key');
  assert.match(await text(page, '#command-summary'), /GET key/);

  await page.fill('#console-input', '');
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text', 'SET a 1\nGET a\n\nDBSIZE');
    const input = document.querySelector('#console-input');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => document.querySelectorAll('.scrollback .entry').length >= 3);
  const replies = await page.locator('.scrollback .reply').allInnerTexts();
  assert.deepEqual(replies.slice(-3), ['OK', '"1"', '(integer) 1']);

  await page.click('#bytes-toggle');
  assert.equal(await page.locator('.scrollback .reply').last().innerText(), ':1\\r\\n');
  await page.click('#bytes-toggle');
  assert.equal(await run(page, 'ECHO "two\\nlines"'), '"two\\nlines"');
  assert.match(await run(page, 'NOSUCH x'), /^\(error\) ERR unknown command 'NOSUCH', with args beginning with: 'x'/);

  // The server panel's settings run through the console, where the learner sees them.
  await page.fill('.settings input', '2mb');
  await page.selectOption('.settings select', 'allkeys-lru');
  await page.click('.settings button[type="submit"]');
  await page.locator('.prompt .typed', { hasText: 'CONFIG SET maxmemory-policy allkeys-lru' }).waitFor();
  const typed = await page.locator('.prompt .typed').allInnerTexts();
  assert.deepEqual(typed.slice(-2), ['CONFIG SET maxmemory 2mb', 'CONFIG SET maxmemory-policy allkeys-lru']);

  // Inside MULTI the prompt says so, as redis-cli's does.
  assert.equal(await run(page, 'MULTI'), 'OK');
  assert.equal(await text(page, '#prompt'), 'redis(TX)>');
  assert.equal(await run(page, 'SET tx 1'), 'QUEUED');
  assert.equal(await run(page, 'EXEC'), '1) OK');
  assert.equal(await text(page, '#prompt'), 'redis>');

  // Export downloads a snapshot file of the keyspace, hash field TTLs included (version 2).
  assert.equal(await run(page, 'HSET ttl f v g w'), '(integer) 2');
  assert.equal(await run(page, 'HEXPIRE ttl 600 FIELDS 1 f'), '1) (integer) 1');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  assert.equal(download.suggestedFilename(), 'redis-playground.json');
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const exported = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  assert.equal(exported.format, 'redis-playground/snapshot');
  assert.equal(exported.version, 2);
  const names = exported.dbs[0].keys.map((k) => k.key.t).sort();
  assert.deepEqual(names, ['a', 'ttl', 'tx']);
  const ttls = exported.dbs[0].keys.find((k) => k.key.t === 'ttl').field_ttls;
  assert.deepEqual(ttls.map(([field]) => field), [{ t: 'f' }]);

  // Ctrl+L clears the screen.
  await page.press('#console-input', 'Control+l');
  assert.equal(await page.locator('.scrollback .entry').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

const SNAPSHOT = {
  format: 'redis-playground/snapshot',
  version: 1,
  clock: { now_ms: Date.now(), speed: 'X1' },
  config: { maxmemory: 0, policy: 'noeviction' },
  dbs: [{
    index: 0,
    keys: [
      { key: { t: 'user:42' }, value: { type: 'hash', data: [[{ t: 'name' }, { t: 'Ada Lovelace' }], [{ t: 'plan' }, { t: 'pro' }]] } },
      { key: { t: 'cache:llm:what-is-redis' }, expires_at: Date.now() + 3_600_000, value: { type: 'string', data: { t: 'An in-memory data store used as a cache, database and broker.' } } },
      { key: { t: 'queue:jobs' }, value: { type: 'list', data: [{ t: 'embed:doc:1' }, { t: 'embed:doc:2' }] } },
      { key: { t: 'tags:doc:1' }, value: { type: 'set', data: [{ t: 'redis' }, { t: 'cache' }] } },
      { key: { t: 'leaderboard' }, value: { type: 'zset', data: [[{ t: 'amy' }, '12'], [{ t: 'bob' }, '7.5']] } },
      { key: { t: 'embedding:doc:1' }, value: { type: 'string', data: { hex: '0000803f000000bf0000403f' } } },
    ],
  }],
  history: ['HGETALL user:42'],
};

test('import a snapshot file with every type, browse it, then reset', async () => {
  // Dark theme for the README screenshot.
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });
  const page = await openPage(browser, server.url, { context });
  await page.setInputFiles('#import', {
    name: 'lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(SNAPSHOT)),
  });
  await page.locator('.notice', { hasText: 'Imported 6 keys.' }).waitFor();
  await page.locator('#key-list [data-key="leaderboard"]').click();
  assert.match(await text(page, '#key-detail'), /0\s+"bob"\s+7\.5\s+1\s+"amy"\s+12/);
  await page.locator('#key-list [data-key="embedding:doc:1"]').click();
  assert.match(await text(page, '#key-detail'), /f32\[3\] \[1, -0\.5, 0\.75\]/);
  await page.locator('#key-list [data-key="user:42"]').click();
  assert.match(await text(page, '#key-detail'), /"name"\s+"Ada Lovelace"/);
  assert.equal(await run(page, 'GET cache:llm:what-is-redis'), '"An in-memory data store used as a cache, database and broker."');
  // A vector blob prints as redis-cli prints bytes, with the floats underneath.
  assert.equal(await run(page, 'GET embedding:doc:1'), '"\\x00\\x00\\x80?\\x00\\x00\\x00\\xbf\\x00\\x00@?"');
  assert.equal(await page.locator('.scrollback .entry').last().locator('.note').innerText(), 'vector: f32[3] [1, -0.5, 0.75]');
  // A few reads spread over time so the hit-ratio sparkline has a shape.
  for (const key of ['missing', 'what-is-redis', 'what-is-redis', 'other', 'what-is-redis']) {
    await run(page, `GET cache:llm:${key}`);
    await page.waitForTimeout(1100);
  }
  assert.equal(await text(page, '#hit-ratio'), '71.4%'); // 5 hits, 2 misses
  assert.ok((await page.locator('.sparkline polyline').count()) === 1, 'the sparkline is drawn');
  // user:42 is still open from above: the screenshot shows its hash view.
  await page.locator('#key-detail[data-type="hash"]').waitFor();
  await page.screenshot({ path: screenshotPath('playground.png') });
  await page.fill('.filter', 'cache:*');
  await page.locator('#key-list [data-key="leaderboard"]').waitFor({ state: 'detached' });
  assert.equal(await page.locator('#key-list [data-key="cache:llm:what-is-redis"]').count(), 1);

  // A file that is not a snapshot is refused with a message; the page keeps working.
  await page.setInputFiles('#import', { name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
  await page.locator('.state-bar [role="alert"]', { hasText: 'not a redis-playground snapshot' }).waitFor();

  await page.click('#reset');
  await page.locator('.notice', { hasText: 'Reset' }).waitFor();
  await page.fill('.filter', '');
  assert.equal(await run(page, 'DBSIZE'), '(integer) 0');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a JSON document browses as a tree: folds, types and paths, or as text', async () => {
  const page = await openPage(browser, server.url);
  const doc = '{"name":"Ada","age":36,"ratio":0.5,"pro":true,"team":null,"tags":["math","code"],'
    + '"address":{"city":"London","geo":{"lat":51.5,"lon":-0.12}},"odd key":1,'
    + `"embedding":[${Array.from({ length: 32 }, (_, i) => i / 8).join(',')}]}`;
  assert.equal(await run(page, `JSON.SET user:ada $ '${doc}'`), 'OK');
  await page.locator('#key-list [data-key="user:ada"]').click();
  const tree = page.locator('#key-detail .json-tree');
  await tree.waitFor();
  assert.equal(await page.locator('#key-detail button[data-view="tree"]').getAttribute('aria-pressed'), 'true');
  // Scalars carry JSON.TYPE's name and their JSONPath, as JSON.GET addresses them.
  const leaf = (path) => tree.locator(`.json-leaf[title='${path}'] .json-value`);
  assert.equal(await leaf('$.name').innerText(), '"Ada"');
  assert.match(await leaf('$.name').getAttribute('class'), /json-string/);
  assert.match(await leaf('$.age').getAttribute('class'), /json-integer/);
  assert.match(await leaf('$.ratio').getAttribute('class'), /json-number/);
  assert.match(await leaf('$.pro').getAttribute('class'), /json-boolean/);
  assert.match(await leaf('$.team').getAttribute('class'), /json-null/);
  assert.equal(await leaf('$.tags[1]').innerText(), '"code"');
  assert.equal(await leaf('$.address.geo.lon').textContent(), '-0.12'); // folded: not visible
  assert.equal(await leaf('$["odd key"]').innerText(), '1');
  // The top levels are open; a deeper object and a long array of numbers start folded.
  const node = (path) => tree.locator(`details.json-node[title='${path}']`);
  assert.notEqual(await node('$').getAttribute('open'), null);
  assert.notEqual(await node('$.address').getAttribute('open'), null);
  assert.equal(await node('$.address.geo').getAttribute('open'), null);
  assert.equal(await node('$.embedding').getAttribute('open'), null);
  assert.equal(await node('$.embedding').locator(':scope > summary').innerText(), 'embedding: [32]');
  await node('$.embedding').locator(':scope > summary').click();
  assert.equal(await leaf('$.embedding[31]').innerText(), '3.875');
  // A write shows in the open tree.
  assert.equal(await run(page, 'JSON.NUMINCRBY user:ada $.age 1'), '"[37]"');
  await tree.locator(".json-leaf[title='$.age'] .json-value", { hasText: '37' }).waitFor();
  // In the console, a JSON reply is redis-cli's one line until the learner asks for it indented.
  assert.equal(await run(page, 'JSON.GET user:ada $.address'),
    '"[{\\"city\\":\\"London\\",\\"geo\\":{\\"lat\\":51.5,\\"lon\\":-0.12}}]"');
  const entry = page.locator('.scrollback .entry').last();
  await entry.locator('button.pretty-json').click();
  assert.equal(await entry.locator('pre').innerText(),
    '[\n  {\n    "city": "London",\n    "geo": {\n      "lat": 51.5,\n      "lon": -0.12\n    }\n  }\n]');
  assert.equal(await page.locator('.scrollback .entry button.pretty-json').count(), 1, 'only JSON replies offer it');
  // The page stems English only, and says so where a command names another language.
  assert.equal(await run(page, 'FT.CREATE fr ON HASH PREFIX 1 fr: LANGUAGE french SCHEMA t TEXT'), 'OK');
  assert.match(await page.locator('.scrollback .entry').last().locator('.note').innerText(),
    /stems English only, so french words match as typed here/);
  // The text view prints the document as JSON.GET with INDENT prints it.
  await page.click('#key-detail button[data-view="text"]');
  assert.match(await text(page, '#key-detail pre'), /^\{\n  "name": "Ada",\n  "age": 37,/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a damaged saved state gives a clear message and a fresh start', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('redis-playground:state', 'certainly not json');
      sessionStorage.setItem('seeded', '1');
    }
  });
  const page = await openPage(browser, server.url, { context });
  assert.match(await text(page, '.notice.error'), /could not be read/);
  assert.equal(await run(page, 'PING'), 'PONG');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('narrow window: one panel at a time, tabs switch, nothing overflows', async () => {
  const page = await openPage(browser, server.url, { width: 390, height: 800 });
  assert.equal(await run(page, 'SET phone small'), 'OK');
  assert.equal(await page.locator('.keys').isVisible(), false);
  await page.getByRole('tab', { name: 'Key browser' }).click();
  await page.locator('#key-list [data-key="phone"]').waitFor();
  assert.equal(await page.locator('.console').isVisible(), false);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
  await page.screenshot({ path: screenshotPath('narrow.png'), fullPage: true });
  // Keyboard: the key row opens with Enter.
  await page.locator('#key-list [data-key="phone"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('#key-detail').waitFor();
  await page.getByRole('tab', { name: 'Labs' }).click();
  await page.locator('.labs').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
