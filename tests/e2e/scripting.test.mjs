// Lua in the page: the VM is a third wasm module loaded by the first command that needs it.
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

test('EVAL in the console loads the Lua module once and runs redis.call on the page engine', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const loads = [];
  context.on('request', (r) => { if (r.url().includes('lua_bg.wasm')) loads.push(r.url()); });
  const page = await openPage(browser, server.url, { context });
  await page.waitForLoadState('networkidle');
  assert.deepEqual(loads, [], 'no Lua VM before the first script');
  assert.equal(await run(page, 'SET greeting hello'), 'OK');
  assert.equal(await run(page, "EVAL \"redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])\" 1 greeting hi"), '"hi"');
  assert.equal(await run(page, 'EVAL "return {1, 2, {3, \'x\'}}" 0'), '1) (integer) 1\n2) (integer) 2\n3) 1) (integer) 3\n   2) "x"');
  assert.equal(await run(page, 'GET greeting'), '"hi"');
  // Errors as Redis words them, with the script's line.
  assert.match(await run(page, 'EVAL "\\nreturn redis.call(\'nosuch\')" 0'), /^\(error\) ERR Unknown Redis command called from script script: \w{40}, on @user_script:2\.$/);
  assert.equal(await run(page, 'EVAL "return pcall(function() error({err=\'x\'}) end)" 0'), '(nil)');
  // redis.call inside the script's own coroutine, as natively.
  assert.equal(await run(page, 'EVAL "local co = coroutine.create(function() return redis.call(\'PING\') end) return {coroutine.resume(co)}" 0'), '1) (integer) 1\n2) PONG');
  assert.equal(loads.length, 1);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('EVAL typed first in the second client waits for the Lua module, then the lines after it run in order', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  const second = async (line) => {
    await page.fill('#second-input', line);
    await page.press('#second-input', 'Enter');
  };
  await second("EVAL \"return redis.call('INCR', KEYS[1])\" 1 hits");
  await second('INCRBY hits 10');
  const log = page.locator('#second-log');
  await page.waitForFunction(() => document.querySelector('#second-log')?.innerText.includes('(integer) 11'));
  const text = await log.innerText();
  assert.ok(text.indexOf('(integer) 1\n') < text.indexOf('(integer) 11'), `in order: ${text}`);
  assert.doesNotMatch(text, /not loaded|not available/);
  assert.equal(await run(page, 'GET hits'), '"11"');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a script that never ends is stopped after the time limit with SCRIPT KILL\'s words, and the page lives on', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await run(page, 'SET before 1');
  const started = Date.now();
  const reply = await run(page, 'EVAL "local i = 0\\nwhile true do i = i + 1 end" 0');
  const took = Date.now() - started;
  assert.match(reply, /^\(error\) ERR Script killed by user with SCRIPT KILL\.\.\. script: \w{40}, on @user_script:2\.$/);
  assert.ok(took >= 4500 && took < 30000, `stopped after ${took} ms`);
  const note = await page.locator('.scrollback .entry').last().locator('.note').innerText();
  assert.match(note, /the page stopped this script after 5 s of real time/);
  // pcall cannot catch the stop, and the engine answers at once afterwards.
  assert.match(await run(page, 'EVAL "return pcall(function() while true do end end)" 0'), /Script killed by user/);
  assert.equal(await run(page, 'GET before'), '"1"');
  assert.equal(await run(page, 'EVAL "return 1 + 1" 0'), '(integer) 2');
  assert.deepEqual(page.errors, []);
});

test('the script editor runs SCRIPT LOAD and EVALSHA in the console and shows the reply', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  const editor = page.getByTestId('script-editor');
  await editor.locator('summary').click();
  await editor.getByLabel('Lua script').fill("local n = redis.call('INCRBY', KEYS[1], ARGV[1])\nreturn {n, redis.call('TTL', KEYS[1])}");
  await editor.getByLabel('KEYS').fill('hits:page');
  await editor.getByLabel('ARGV').fill('5');
  const lines = (await page.getByTestId('script-lines').innerText()).split('\n');
  assert.equal(lines[0], 'SCRIPT LOAD "local n = redis.call(\'INCRBY\', KEYS[1], ARGV[1])\\nreturn {n, redis.call(\'TTL\', KEYS[1])}"');
  assert.match(lines[1], /^EVALSHA [0-9a-f]{40} 1 hits:page 5$/);
  // Highlighted: Redis's names and the strings have their own colours.
  assert.ok(await editor.locator('.lua-redis', { hasText: 'KEYS' }).count() >= 1);
  assert.ok(await editor.locator('.lua-string', { hasText: "'INCRBY'" }).count() === 1);
  const before = await page.locator('.scrollback .entry').count();
  await editor.getByRole('button', { name: 'Run' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.scrollback .entry').length >= n + 2, before);
  const replies = await page.locator('.scrollback .entry .reply').allInnerTexts();
  assert.match(replies.at(-2), /^"[0-9a-f]{40}"$/);
  assert.equal(replies.at(-1), '1) (integer) 5\n2) (integer) -1');
  assert.equal(await editor.locator('.reply').innerText(), '1) (integer) 5\n2) (integer) -1');
  // The key browser shows the key the script wrote.
  await page.locator('.keys', { hasText: 'hits:page' }).waitFor();
  await page.screenshot({ path: screenshotPath('scripting.png') });
  assert.deepEqual(page.errors, []);
});

test('FUNCTION LOAD and FCALL typed in the console', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  assert.equal(await run(page, 'FUNCTION LOAD "#!lua name=lib\\nredis.register_function(\'hello\', function(keys, args) return \'hi \' .. args[1] end)"'), '"lib"');
  assert.equal(await run(page, 'FCALL hello 0 you'), '"hi you"');
  assert.deepEqual(page.errors, []);
});

test('the Lua rate-limiter lesson: the race of two instances, then the script that refuses the fourth request', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.click('[data-testid=lesson-lua-rate-limit]');
  await page.locator('[data-testid=lesson]', { hasText: 'A sliding-window rate limiter in Lua' }).waitFor();
  const step = (i) => page.locator('[data-testid=lesson-step]').nth(i);
  const done = () => page.locator('[data-testid=lesson-step][data-state=done]').count();
  const steps = await page.locator('[data-testid=lesson-step]').count();
  const replies = [];
  for (let i = 0; i < steps; i++) {
    const jump = step(i).locator('[data-testid=lesson-jump]');
    if (await jump.count()) await jump.click();
    const seconds = step(i).locator('[data-testid=lesson-second]');
    for (let b = 0; b < (await seconds.count()); b++) {
      const before = await page.locator('#second-log .second-line').count();
      await seconds.nth(b).click();
      await page.waitForFunction((k) => document.querySelectorAll('#second-log .second-line').length > k, before);
    }
    // A step's lines again until it is done (the script answers 1, 2, 3, then 0).
    for (let tries = 0; tries < 6 && (await done()) <= i; tries++) {
      const buttons = step(i).locator('button[title="Run this line in the console"]');
      for (let b = 0; b < (await buttons.count()); b++) {
        const before = await page.locator('.scrollback .entry').count();
        await buttons.nth(b).click();
        await page.waitForFunction((k) => document.querySelectorAll('.scrollback .entry').length > k, before);
        replies.push(await page.locator('.scrollback .entry .reply').last().innerText());
      }
      await page.waitForTimeout(50);
    }
    assert.equal(await done(), i + 1, `step ${i + 1} is done by its own lines: ${replies.join(' | ')}`);
  }
  await page.locator('[data-testid=lesson-done]').waitFor();
  // The race: four requests logged against a limit of three; the script: 1, 2, 3, refused, then
  // allowed again once the clock moved on; SCRIPT LOAD answers the SHA-1 EVALSHA uses.
  assert.ok(replies.includes('(integer) 4'), replies.join(' | '));
  const script = replies.filter((r) => /^\(integer\) [0-3]$/.test(r)).slice(-6);
  assert.deepEqual(script, ['(integer) 1', '(integer) 2', '(integer) 3', '(integer) 0', '(integer) 1', '(integer) 1'].slice(-script.length));
  assert.ok(replies.includes('"152ccbba3c71988d84adf6765c2182c33990b28f"'), replies.join(' | '));
  // The knowledge check.
  const question = page.locator('[data-testid=quiz-question]', { hasText: 'Why can no other client' });
  await question.locator('[data-testid=quiz-choice]', { hasText: 'Redis runs the whole script as one command' }).click();
  await page.locator('[data-testid=quiz-question][data-state=right]').waitFor();
  assert.deepEqual(page.errors, []);
});

test("redis-py's register_script and eval in the page's Python run on the page's Lua", async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  const out = await page.evaluate(() => window.playground.runPython([
    'import redis',
    'r = redis.Redis(decode_responses=True)',
    "add = r.register_script(\"return redis.call('INCRBY', KEYS[1], ARGV[1])\")",
    "print(add(keys=['py:n'], args=[4]), add(keys=['py:n'], args=[3]))",
    "print(r.eval('return ARGV[1]', 0, 'hi'))",
  ].join('\n')));
  assert.equal(out, '4 7\nhi\n');
  assert.deepEqual(page.errors, []);
});

test('os.clock() in a page script counts the time the script has run', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  const reply = await run(page, 'EVAL "local t0 = os.clock() local x = 0 for i = 1, 3000000 do x = x + i end local t1 = os.clock() return {tostring(t0 >= 0 and t0 < 1), tostring(t1 > t0), tostring(t1 < 5)}" 0');
  assert.equal(reply, '1) "true"\n2) "true"\n3) "true"');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('FUNCTION libraries survive a reload, and FCALL runs them without loading them again', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  assert.equal(await run(page, 'FUNCTION LOAD "#!lua name=keep\\nredis.register_function{function_name=\'bump\', callback=function(keys) return redis.call(\'INCR\', keys[1]) end, description=\'adds one\'}"'), '"keep"');
  assert.equal(await run(page, 'FCALL bump 1 kept'), '(integer) 1');
  await page.reload();
  await page.waitForSelector('#console-input');
  await page.locator('#key-list [data-key="kept"]').waitFor();
  assert.match(await run(page, 'FUNCTION LIST'), /"library_name"\n\s*2\) "keep"[\s\S]*"bump"[\s\S]*"adds one"/);
  assert.equal(await run(page, 'FCALL bump 1 kept'), '(integer) 2');
  assert.match(await run(page, 'FUNCTION LOAD "#!lua name=keep\\nredis.register_function(\'x\', function() return 1 end)"'), /Library 'keep' already exists/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('compare mode compares the first EVAL too, which waits for the Lua module', async () => {
  // The oracle the test command starts (scripts/dev.sh), as python.test.mjs uses it.
  const oraclePort = Number(process.env.REDIS_ORACLE_PORT ?? 16379);
  const { startRelay } = await import('./relay.mjs');
  const relay = await startRelay(oraclePort);
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  try {
    await page.fill('#backend-url', relay.url);
    await page.click('#backend-remote');
    await page.locator('#backend-state', { hasText: 'connected' }).waitFor();
    await page.check('#compare-toggle');
    assert.equal(await run(page, 'EVAL "return {1, \'two\', redis.call(\'PING\')}" 0'), '1) (integer) 1\n2) "two"\n3) PONG');
    await page.locator('.scrollback .entry').last().locator('.compare.same').waitFor();
    assert.equal(await page.locator('.scrollback .entry').last().locator('.compare.different').count(), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
    await relay.close();
  }
});
