// The portal as a visitor sees it: the home page lists Jiujiang's regions, navigation works, deep links load, a
// natural person is found only by full name and full identity number, and no page logs an error
// (a content security policy violation would show up as one). The server holds demo data (`seed-demo`).
// Screenshots land in target/e2e/; a failing step also leaves target/e2e/failed-<step>.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, openBrowser, SCREENSHOTS } from './harness.mjs';

const STEP_TIMEOUT = 60_000;
// The demo data's showcase natural person.
const PERSON = '李四海';
const PERSON_ID = '360403197503180571';
let server;
let browser;
let page;
let errors;
// Requests the app made that the server failed (5xx) or that never completed.
const broken = [];

before(async () => {
  server = await startServer({ demo: true, records: 60 });
  ({ browser, page, errors } = await openBrowser());
  page.on('response', (response) => {
    if (response.status() >= 500) broken.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'failed';
    // A navigation that replaces a page still loading aborts its requests: that is not a fault.
    if (!reason.includes('ERR_ABORTED')) broken.push(`${reason} ${request.url()}`);
  });
}, { timeout: 90_000 });

after(async () => {
  const within = (promise, ms) => Promise.race([promise, new Promise((ok) => setTimeout(ok, ms).unref())]);
  try {
    await within(browser?.close(), 15_000);
  } finally {
    await server?.stop();
  }
}, { timeout: 30_000 });

/** Runs one step; when it fails, keeps a screenshot of the page and the server's recent log in the error. */
async function step(name, body) {
  const shot = join(SCREENSHOTS, `failed-${name}.png`);
  rmSync(shot, { force: true });
  try {
    await body();
  } catch (error) {
    await page?.screenshot({ path: shot, fullPage: true, timeout: 5_000 }).catch(() => {});
    // The log without its terminal colours.
    const log = (server?.log() ?? '').replace(/\x1b\[[0-9;]*m/g, '').slice(-4_000);
    error.message += `\n  page: ${page?.url()}\n  screenshot: ${shot}\n  server log (last lines):\n${log}`;
    throw error;
  }
}

test('the home page shows Jiujiang and its thirteen county-level divisions', { timeout: STEP_TIMEOUT }, () =>
  step('home', async () => {
    const response = await page.goto(server.base + '/');
    assert.equal(response.status(), 200);
    // The policy that the no-error check below holds the app to.
    assert.match(response.headers()['content-security-policy'] ?? '', /default-src 'self'/);
    const list = page.getByTestId('region-list');
    await list.waitFor();
    const regions = list.getByTestId('region');
    await regions.nth(13).waitFor();
    assert.equal(await regions.count(), 14);
    for (const name of ['九江市', '濂溪区', '共青城市', '修水县', '庐山市']) {
      assert.ok(await list.getByText(name, { exact: true }).isVisible(), `${name} is visible`);
    }
    // The page shows exactly the regions the API lists.
    const api = await (await fetch(server.base + '/api/v1/regions', { signal: AbortSignal.timeout(5_000) })).json();
    assert.equal(api.items.length, 14);
    const shown = await regions.allInnerTexts();
    for (const { name } of api.items) {
      assert.ok(shown.some((text) => text.includes(name)), `${name} (from the API) is on the page`);
    }
    assert.match(await page.title(), /信用九江/);
    await page.screenshot({ path: join(SCREENSHOTS, 'home.png'), fullPage: true });
  }));

test('the navigation leads to the workbench sign-in and back home', { timeout: STEP_TIMEOUT }, () =>
  step('navigation', async () => {
    await page.goto(server.base + '/');
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '工作台' }).click();
    await page.getByRole('heading', { name: '工作台登录' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png') });
    await nav.getByRole('link', { name: '首页' }).click();
    await page.getByTestId('region-list').waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
  }));

test('a deep link loads the app, which shows its own not-found page', { timeout: STEP_TIMEOUT }, () =>
  step('deep-link', async () => {
    const response = await page.goto(server.base + '/no/such/page');
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'] ?? '', /^text\/html/);
    await page.getByTestId('not-found').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'not-found.png') });
    await page.getByRole('link', { name: '返回首页' }).click();
    await page.getByTestId('region-list').waitFor();
  }));

test('partial search covers organisations and businesses: a person is not found by part of the name or by number', { timeout: STEP_TIMEOUT }, () =>
  step('portal-people-search', async () => {
    await page.goto(server.base + '/');
    assert.match(await page.getByTestId('search-scope').innerText(), /法人和非法人组织、个体工商户/);
    for (const q of ['四海', PERSON, PERSON_ID]) {
      await page.goto(server.base + '/search?q=' + encodeURIComponent(q));
      await page.getByTestId('search-empty').or(page.getByTestId('search-status').getByText('已找到')).waitFor();
      const kinds = await page.getByTestId('search-result').locator('.tag').allInnerTexts();
      assert.ok(!kinds.includes('自然人'), `searching ${q} finds no natural person: ${kinds}`);
    }
    await page.getByTestId('search-empty').waitFor();
    assert.match(await page.getByTestId('search-empty').innerText(), /查询自然人/, 'the empty page points to the lookup');
  }));

test('a visitor finds a person by full name and full identity number, checked as typed, and sees them masked', { timeout: STEP_TIMEOUT }, () =>
  step('portal-person-lookup', async () => {
    await page.goto(server.base + '/search');
    const section = page.getByTestId('person-lookup');
    await section.getByText('按名称的一部分或代码查询只涵盖法人和非法人组织及个体工商户').waitFor();
    const form = page.getByTestId('person-lookup-form');
    await form.getByLabel('完整姓名').fill(PERSON);
    // A wrong check digit is reported as the user types, before anything is sent.
    await form.getByLabel('公民身份号码').fill(PERSON_ID.slice(0, 17) + '2');
    await section.getByText('公民身份号码校验码不正确').waitFor();
    await form.getByLabel('公民身份号码').fill(PERSON_ID);
    await section.getByText('公民身份号码校验码不正确').waitFor({ state: 'detached' });
    // Another name with the right number is simply not found.
    await form.getByLabel('完整姓名').fill('李四河');
    await form.getByRole('button', { name: '查询自然人' }).click();
    await page.getByTestId('person-lookup-status').getByText('未找到与该姓名和公民身份号码一致的公示信息').waitFor();
    assert.equal(await page.getByTestId('person-lookup-results').getByTestId('search-result').count(), 0);

    await form.getByLabel('完整姓名').fill(PERSON);
    await form.getByRole('button', { name: '查询自然人' }).click();
    const result = page.getByTestId('person-lookup-results').getByTestId('search-result');
    await result.getByRole('link', { name: '李*海' }).waitFor();
    const shown = await result.innerText();
    assert.match(shown, /360403\*{12}/, 'only the region of the number is shown');
    assert.ok(!page.url().includes(PERSON_ID), 'the number never goes into the address');
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /19750318|李四海/, 'neither the birth date nor the full name is on the page');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-person-lookup.png'), fullPage: true });

    await result.getByRole('link', { name: '李*海' }).click();
    await page.getByTestId('subject').getByRole('heading', { name: '李*海' }).waitFor();
    assert.equal((await page.getByTestId('subject').locator('dd.mono').innerText()).trim(), '360403************');
  }));

test('the API docs open in the browser', { timeout: STEP_TIMEOUT }, () =>
  step('api-docs', async () => {
    await page.goto(server.base + '/api/docs');
    await page.locator('div.swagger-ui').first().waitFor();
    await page.getByText('/api/v1/regions', { exact: true }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'api-docs.png') });
  }));

test('no page logged an error (content security policy violations included)', () => {
  assert.deepEqual(errors, [], 'console errors and uncaught exceptions');
  assert.deepEqual(broken, [], 'failed requests and server errors');
});
