// The portal as a visitor sees it: the home page lists Jiujiang's regions, navigation works, deep links load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, openBrowser, SCREENSHOTS } from './harness.mjs';

let server;
let browser;
let page;
let errors;

before(async () => {
  server = await startServer();
  ({ browser, page, errors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the home page shows Jiujiang and its thirteen county-level divisions', async () => {
  await page.goto(server.base + '/');
  const list = page.getByTestId('region-list');
  await list.waitFor();
  const regions = list.getByTestId('region');
  assert.equal(await regions.count(), 14);
  for (const name of ['九江市', '濂溪区', '共青城市', '修水县', '庐山市']) {
    assert.ok(await list.getByText(name, { exact: true }).isVisible(), `${name} is visible`);
  }
  assert.match(await page.title(), /信用九江/);
  await page.screenshot({ path: join(SCREENSHOTS, 'home.png'), fullPage: true });
});

test('the navigation leads to the workbench sign-in and back home', async () => {
  await page.goto(server.base + '/');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作台' }).click();
  await page.getByRole('heading', { name: '工作台登录' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.screenshot({ path: join(SCREENSHOTS, 'login.png') });
  await page.getByRole('link', { name: '首页' }).click();
  await page.getByTestId('region-list').waitFor();
});

test('a deep link loads the app, which shows its own not-found page', async () => {
  const response = await page.goto(server.base + '/no/such/page');
  assert.equal(response.status(), 200);
  await page.getByTestId('not-found').waitFor();
  await page.getByRole('link', { name: '返回首页' }).click();
  await page.getByTestId('region-list').waitFor();
});

test('the API docs open in the browser', async () => {
  await page.goto(server.base + '/api/docs');
  await page.locator('div.swagger-ui').first().waitFor();
  await page.getByText('/api/v1/regions', { exact: true }).first().waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'api-docs.png') });
});

test('no page logged an error (content security policy violations included)', () => {
  assert.deepEqual(errors, []);
});
