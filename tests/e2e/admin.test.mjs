// The account office registers an organisation and accounts in the workbench, and the security auditor reads
// and verifies the audit trail, opens one event and narrows the trail by person and organisation (R-9.3, R-10.2,
// ), as people would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, openBrowser, SCREENSHOTS } from './harness.mjs';

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

async function signIn(login, password) {
  await page.goto(server.base + '/login');
  await page.getByLabel('登录名').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

async function replacePassword(current, next) {
  await page.getByTestId('change-password').waitFor();
  await page.getByLabel('当前密码').fill(current);
  await page.getByLabel('新密码', { exact: true }).fill(next);
  await page.getByLabel('再次输入新密码').fill(next);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.getByTestId('workbench').waitFor();
}

async function register(login, name, organisation, role) {
  await page.getByLabel('所属单位').selectOption({ label: organisation });
  await page.getByLabel('登录名').fill(login);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel(role).check();
  await page.getByRole('button', { name: '注册' }).click();
  const shown = page.getByTestId('one-time-password');
  await shown.waitFor();
  const password = (await shown.locator('code').textContent()).trim();
  assert.equal(password.length, 16);
  await page.getByRole('button', { name: '我已妥善交付' }).click();
  return password;
}

test('the account office registers an organisation, checking the code as it is typed', async () => {
  await signIn('admin', server.oneTimePassword);
  await replacePassword(server.oneTimePassword, 'Lake-Poyang-Office-26');
  await page.getByRole('link', { name: '单位管理' }).click();
  await page.getByTestId('organisations').waitFor();
  await page.getByLabel('单位名称').fill('九江市市场监督管理局');
  await page.getByLabel('统一社会信用代码').fill('11360400MB1234567B');
  await page.getByLabel('信用信息提供单位').check();
  await page.getByRole('button', { name: '登记' }).click();
  await page.getByTestId('error-uscc').getByText('校验位不正确').waitFor();
  await page.getByLabel('统一社会信用代码').fill('11360400MB76543217');
  await page.getByRole('button', { name: '登记' }).click();
  await page.getByTestId('organisation-created').getByText('九江市市场监督管理局').waitFor();
  await page.getByTestId('organisation-row').filter({ hasText: '九江市市场监督管理局' }).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'organisations.png'), fullPage: true });
});

test('accounts are registered with a one-time password shown once, and separated duties are refused', async () => {
  await page.goto(server.base + '/workbench/users');
  await page.getByTestId('users').waitFor();
  const provider = await register('li.ming', '李明', '九江市市场监督管理局', '信用信息提供单位');
  assert.ok(provider);
  await page.getByTestId('user-row').filter({ hasText: 'li.ming' }).waitFor();

  await page.getByLabel('所属单位').selectOption({ label: '九江市人民政府信息化办公室' });
  await page.getByLabel('登录名').fill('two.duties');
  await page.getByLabel('姓名').fill('赵六');
  await page.getByLabel('系统管理员').check();
  await page.getByLabel('安全审计员').check();
  await page.getByRole('button', { name: '注册' }).click();
  await page.getByTestId('error-roles').getByText('三员分立').waitFor();
  await page.getByLabel('系统管理员').uncheck();
  await page.getByLabel('登录名').fill('auditor');
  await page.getByLabel('姓名').fill('审计员');
  await page.getByRole('button', { name: '注册' }).click();
  const shown = page.getByTestId('one-time-password');
  await shown.waitFor();
  server.auditorPassword = (await shown.locator('code').textContent()).trim();
  await page.screenshot({ path: join(SCREENSHOTS, 'users.png'), fullPage: true });
  await page.getByTestId('account-menu').getByRole('button', { name: '退出登录' }).click();
  await page.getByTestId('login').waitFor();
});

test('the security auditor reads the trail in words and verifies the chain', async () => {
  await signIn('auditor', server.auditorPassword);
  await replacePassword(server.auditorPassword, 'Audit-Reader-2026!');
  await page.getByRole('link', { name: '审计日志' }).click();
  await page.getByTestId('audit').waitFor();
  // Actions read by their labels, actors by name: the accounts 王芳 registered above.
  const created = page.getByTestId('audit-row').filter({ hasText: '新建账号' }).first();
  await created.getByTestId('audit-actor').getByText('王芳').waitFor();
  assert.equal(await page.getByTestId('audit-row').filter({ hasText: 'account.create' }).count(), 0);
  // the anchors of the chain's head, written outside the database at start, still match it.
  await page.getByTestId('audit-anchor').first().getByText('一致', { exact: true }).waitFor();
  await page.getByRole('button', { name: '校验审计链' }).click();
  await page.getByTestId('verification').getByText('审计链完整').waitFor();
  await page.getByTestId('verification').getByText(/个锚点均与之相符/).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'audit.png'), fullPage: true });
});

test('one event opens in full, and the trail narrows to its person and to an organisation', async () => {
  const created = page.getByTestId('audit-row').filter({ hasText: '新建账号' }).first();
  await created.getByTestId('audit-event-link').click();
  const event = page.getByTestId('audit-event');
  await event.waitFor();
  assert.match(new URL(page.url()).pathname, /^\/workbench\/audit\/\d+$/);
  await event.getByRole('heading', { name: /新建账号/ }).waitFor();
  await event.getByTestId('audit-event-actor').getByText('王芳').waitFor();
  await event.getByText('本条哈希').waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'audit-event.png'), fullPage: true });

  await event.getByTestId('narrow-actor').click();
  await page.getByTestId('audit').waitFor();
  await page.getByTestId('audit-chip').filter({ hasText: '操作者:王芳' }).waitFor();
  await page.getByTestId('audit-row').first().waitFor();
  const actors = await page.getByTestId('audit-row').getByTestId('audit-actor').allTextContents();
  assert.ok(actors.length > 0 && actors.every((name) => name === '王芳'), actors.join(','));

  // The chip's "×" removes the filter; a unit in a row applies it as the next one.
  await page.getByTestId('audit-chip').getByRole('link', { name: /移除筛选条件/ }).click();
  await page.getByTestId('audit-chip').waitFor({ state: 'detached' });
  await page.getByTestId('audit-organisation').filter({ hasText: '九江市人民政府信息化办公室' }).first().click();
  await page.getByTestId('audit-chip').filter({ hasText: '单位:九江市人民政府信息化办公室' }).waitFor();
  assert.equal(new URL(page.url()).searchParams.has('organisation_id'), true);
  await page.getByTestId('audit-row').first().waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'audit-filtered.png'), fullPage: true });

  await page.goto(server.base + '/workbench/users');
  await page.getByTestId('forbidden').waitFor();
});

test('no page logged an error but the refusals this test provoked', () => {
  const unexpected = errors.filter((e) => !/status of (401|403|422)/.test(e));
  assert.deepEqual(unexpected, []);
});
