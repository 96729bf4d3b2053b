// Lua in the page: the VM is a third wasm module loaded by the first command that needs it.
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

test('EVAL in the console loads the Lua module once and runs redis.call on the page engine', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  const loads = [];
  page.on('request', (r) => { if (r.url().includes('lua_bg.wasm')) loads.push(r.url()); });
  assert.equal(await run(page, "EVAL \"redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])\" 1 greeting hi"), '"hi"');
  assert.equal(await run(page, 'EVAL "return {1, 2, {3, \'x\'}}" 0'), '1) (integer) 1\n2) (integer) 2\n3) 1) (integer) 3\n   2) "x"');
  assert.equal(await run(page, 'GET greeting'), '"hi"');
  console.log(await run(page, 'EVAL "return redis.call(\'nosuch\')" 0'));
  assert.equal(loads.length, 1);
  assert.deepEqual(page.errors, []);
});
