// Government staff sign in to the workbench: the first administrator replaces the one-time password before
// anything else, password rules are explained next to the field, a wrong password says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, openBrowser, SCREENSHOTS } from './harness.mjs';

const NEW_PASSWORD = 'Xunyang-River-2026';
let server;
let browser;
let page;
let errors;

before(async () => {
  server = await startServer({ admin: { loginName: 'admin', fullName: '王芳' } });
  ({ browser, page, errors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the workbench asks a visitor who is not signed in to sign in', async () => {
  await page.goto(server.base + '/workbench');
  await page.getByTestId('login').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
});

test('a wrong password shows the message next to the password field', async () => {
  await page.getByLabel('登录名').fill('admin');
  await page.getByLabel('密码').fill('Not-the-password-1');
  await page.getByRole('button', { name: '登录' }).click();
  const message = page.getByTestId('error-password');
  await message.getByText('登录名或密码错误').waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'login-wrong-password.png') });
});

test('first sign-in leads to the forced password change, whose rules show next to the field', async () => {
  await page.getByLabel('登录名').fill('admin');
  await page.getByLabel('密码').fill(server.oneTimePassword);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('change-password').waitFor();
  assert.equal(new URL(page.url()).pathname, '/password');
  await page.getByText('请先设置新密码').waitFor();

  await page.getByLabel('当前密码').fill(server.oneTimePassword);
  await page.getByLabel('新密码', { exact: true }).fill('short');
  await page.getByLabel('再次输入新密码').fill('short');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.getByTestId('error-new_password').getByText('至少需要 12 个字符').waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'password-rules.png') });

  await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('再次输入新密码').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.getByTestId('workbench').waitFor();
  await page.getByText('欢迎,王芳').waitFor();
  await page.getByText('账号管理员').waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'workbench-signed-in.png') });
});

test('a reload keeps the session (refresh cookie), and signing out ends it', async () => {
  await page.reload();
  await page.getByTestId('workbench').waitFor();
  await page.getByTestId('account-menu').getByRole('button', { name: '退出登录' }).click();
  await page.getByTestId('login').waitFor();
  await page.goto(server.base + '/workbench');
  await page.getByTestId('login').waitFor();
});

test('the new password signs in straight to the workbench', async () => {
  await page.getByLabel('登录名').fill('admin');
  await page.getByLabel('密码').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('workbench').waitFor();
});

test('no page logged an error', () => {
  // The failed sign-in (401) and the refused password (422) above are logged by the browser; nothing else may be.
  const unexpected = errors.filter((e) => !/status of (401|422)/.test(e));
  assert.deepEqual(unexpected, []);
});
