// The guided lessons in real headless Chromium: steps tick off from what the console ran (their
// own lines or the learner's), the clock jump makes a TTL run out, and progress survives a reload.
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

const step = (page, i) => page.locator('[data-testid=lesson-step]').nth(i);

async function runStep(page, i) {
  const buttons = step(page, i).locator('button[title="Run this line in the console"]');
  const n = await buttons.count();
  for (let b = 0; b < n; b++) {
    const before = await page.locator('.scrollback .entry').count();
    await buttons.nth(b).click();
    await page.waitForFunction((k) => document.querySelectorAll('.scrollback .entry').length > k, before);
  }
}

test('cache-aside lesson: each step ticks off as its commands run, and progress survives a reload', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.locator('[data-testid=lesson]', { hasText: 'Cache-aside in four commands' }).waitFor();
  assert.equal(await step(page, 0).getAttribute('data-state'), 'current');
  assert.equal(await step(page, 1).getAttribute('data-state'), 'later');

  // Every step's number fits inside the list, the current one too (its bar shifts it left).
  const clipped = await page.evaluate(() => {
    const list = document.querySelector('.lesson-steps');
    const ctx = document.createElement('canvas').getContext('2d');
    return [...list.querySelectorAll('[data-testid=lesson-step]')].flatMap((li, i) => {
      ctx.font = getComputedStyle(li).font;
      const number = ctx.measureText(`${i + 1}. `).width;
      const room = li.getBoundingClientRect().left - list.getBoundingClientRect().left;
      return room >= number ? [] : [`step ${i + 1}: ${room.toFixed(1)} px for a ${number.toFixed(1)} px number`];
    });
  });
  assert.deepEqual(clipped, []);

  await runStep(page, 0);
  await page.locator('[data-testid=lesson-step][data-state=done]').first().waitFor();
  assert.equal(await page.locator('.scrollback .entry .reply').last().innerText(), '(nil)');

  // The learner may type their own line: a SET without a TTL does not count, one with PX does.
  await run(page, 'SET product:42 lamp');
  assert.equal(await step(page, 1).getAttribute('data-state'), 'current', 'a fill without a TTL is not the step');
  await run(page, 'SET product:42 lamp PX 600000');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=lesson-step][data-state=done]').length === 2);

  await runStep(page, 2);
  await runStep(page, 3);
  await page.locator('[data-testid=lesson-done]').waitFor();
  assert.match(await page.locator('[data-testid=lesson-progress]').innerText(), /4 of 4 steps done/);
  await page.screenshot({ path: screenshotPath('lessons.png') });

  await page.reload();
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.locator('[data-testid=lesson-done]').waitFor();
  assert.match(await page.locator('[data-testid=lesson-cache-aside]').getAttribute('class'), /finished/);
  assert.deepEqual(page.errors, []);
});

test('the lessons come with the lazily loaded module, and see only lines run after they open', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requested = [];
  context.on('request', (request) => requested.push(new URL(request.url()).pathname));
  const page = await openPage(browser, server.url, { context });
  await page.waitForLoadState('networkidle');
  // A line from before the tab opened is not a step done.
  await run(page, 'GET product:42');
  assert.ok(!requested.some((path) => path.includes('labs_bg.wasm')), `no labs wasm before the tab opens: ${requested}`);
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.locator('[data-testid=lesson]', { hasText: 'Cache-aside in four commands' }).waitFor();
  assert.ok(requested.some((path) => path.endsWith('/labs/labs_bg.wasm')), 'the module is fetched with the tab');
  assert.equal(await step(page, 0).getAttribute('data-state'), 'current');
  // Typed in the console while the lessons are open: the lessons module is told, and ticks.
  await run(page, 'GET product:42');
  await page.waitForFunction(() => document.querySelector('[data-testid=lesson-step]')?.dataset.state === 'done');
  // The step's own button runs its line in the page's console.
  const before = await page.locator('.scrollback .entry').count();
  await step(page, 1).locator('button', { hasText: 'Run' }).first().click();
  await page.waitForFunction((k) => document.querySelectorAll('.scrollback .entry').length > k, before);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=lesson-step][data-state=done]').length === 2);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('TTL lesson: the clock jump makes the session expire', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.click('[data-testid=lesson-ttl]');
  await runStep(page, 0);
  await runStep(page, 1);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=lesson-step][data-state=done]').length === 2);
  // Before the jump the session is still there: TTL is positive, the step stays open.
  assert.match(await run(page, 'TTL session:abc123'), /^\(integer\) \d+$/);
  assert.equal(await step(page, 2).getAttribute('data-state'), 'current');
  await step(page, 2).locator('[data-testid=lesson-jump]').click();
  await runStep(page, 2);
  assert.equal(await page.locator('.scrollback .entry .reply').last().innerText(), '(integer) -2');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=lesson-step][data-state=done]').length === 3);
  assert.deepEqual(page.errors, []);
});

test('knowledge checks: a wrong answer shows the right one and why, a right one says so, and its line runs', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.click('[data-testid=lesson-rate-limit]');
  const question = page.locator('[data-testid=quiz-question]').first();
  await question.waitFor();
  assert.match(await question.innerText(), /API calls per minute/);
  assert.equal(await question.getAttribute('data-state'), 'open');
  assert.equal(await question.locator('[data-testid=quiz-explain]').count(), 0, 'no explanation before an answer');
  // Wrong first: the verdict names the right answer, and the explanation appears.
  await question.locator('[data-testid=quiz-choice]', { hasText: 'GET the count' }).click();
  await page.locator('[data-testid=quiz-question][data-state=wrong]').waitFor();
  assert.equal(await question.getAttribute('data-state'), 'wrong');
  assert.match(await question.locator('[data-testid=quiz-verdict]').innerText(), /Not quite: the answer is “INCR/);
  assert.match(await question.locator('[data-testid=quiz-explain]').innerText(), /INCR adds one inside the server/);
  assert.ok(await question.locator('[data-testid=quiz-choice]').first().isDisabled(), 'answered once');
  // The lines that prove it run in the console: the counter has its window.
  const buttons = question.locator('button', { hasText: 'Run' });
  for (let b = 0; b < (await buttons.count()); b++) {
    const before = await page.locator('.scrollback .entry').count();
    await buttons.nth(b).click();
    await page.waitForFunction((k) => document.querySelectorAll('.scrollback .entry').length > k, before);
  }
  assert.match(await page.locator('.scrollback .entry .reply').last().innerText(), /^\(integer\) (59|60)$/);
  // Answer again, right this time.
  await question.locator('button', { hasText: 'Answer again' }).click();
  await question.locator('[data-testid=quiz-choice]', { hasText: 'INCR, with EXPIRE' }).click();
  await page.locator('[data-testid=quiz-question][data-state=right]').waitFor();
  assert.equal(await question.getAttribute('data-state'), 'right');
  assert.equal(await question.locator('[data-testid=quiz-verdict]').innerText(), 'Right.');
  assert.match(await page.locator('[data-testid=quiz-score]').innerText(), /1 of 1 answered right/);

  // Another lesson, other questions: the port of Azure Managed Redis.
  await page.click('[data-testid=lesson-cache-aside]');
  const port = page.locator('[data-testid=quiz-question]', { hasText: 'Which port' });
  await port.locator('[data-testid=quiz-choice]', { hasText: '10000' }).click();
  await page.locator('[data-testid=quiz-question][data-state=right]', { hasText: 'Which port' }).waitFor();
  assert.match(await port.locator('[data-testid=quiz-explain]').innerText(), /6380 was the TLS port of the older Azure Cache for Redis/);
  await page.screenshot({ path: screenshotPath('lessons-quiz.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
});

test('fresh-copies lesson: the second client gets the message, the expiry and the invalidation', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.click('[data-testid=lesson-fresh-copies]');
  await page.locator('[data-testid=lesson]', { hasText: "Keep every app instance's copy fresh" }).waitFor();
  const steps = await page.locator('[data-testid=lesson-step]').count();
  for (let i = 0; i < steps; i++) {
    const jump = step(page, i).locator('[data-testid=lesson-jump]');
    if (await jump.count()) await jump.click();
    // The second client's lines first (each adds its reply to the panel), then the console's.
    const seconds = step(page, i).locator('[data-testid=lesson-second]');
    for (let b = 0; b < (await seconds.count()); b++) {
      const before = await page.locator('#second-log .second-line').count();
      await seconds.nth(b).click();
      await page.waitForFunction((k) => document.querySelectorAll('#second-log .second-line').length > k, before);
    }
    await runStep(page, i);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=lesson-step][data-state=done]').length === n, i + 1);
  }
  await page.locator('[data-testid=lesson-done]').waitFor();
  const log = await page.locator('#second-log').innerText();
  assert.match(log, /1\) "message"\n2\) "invalidate"\n3\) "product:42"/);
  assert.match(log, /1\) "pmessage"\n2\) "__keyevent@\*__:expired"\n3\) "__keyevent@0__:expired"\n4\) "price:eur"/);
  assert.match(log, /1\) "invalidate"\n2\) 1\) "product:42"/);
  assert.deepEqual(page.errors, []);
});
