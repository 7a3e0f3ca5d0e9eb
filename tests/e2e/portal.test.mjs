// The portal as a visitor sees it: the home page lists Jiujiang's regions, navigation works, deep links load,
// and no page logs an error (a content security policy violation would show up as one).
// Screenshots land in target/e2e/; a failing step also leaves target/e2e/failed-<step>.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, openBrowser, SCREENSHOTS } from './harness.mjs';

const STEP_TIMEOUT = 60_000;
let server;
let browser;
let page;
let errors;
// Requests the app made that the server failed (5xx) or that never completed.
const broken = [];

before(async () => {
  server = await startServer();
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
