// Operations as the system administrator does them, on a server filled by `credit-api seed-demo`:
// runs the automatic health checks from the status board, writes an inspection into the operation log and finds it
// again by its words, files the daily pre-work check item by item (the backup found with a problem, with a note),
// sees the red banner on the workbench, and finds the problem in the operation log; a credit administrator sees the
// banner too.
// Screenshots land in target/e2e/; a failing step also leaves target/e2e/failed-<step>.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoScenario, SCREENSHOTS } from './harness.mjs';

const STEP_TIMEOUT = 90_000;
const SYSADMIN = 'demo.system.admin';
const CREDIT_ADMIN = 'demo.city.admin';
const INSPECTION = '机房巡检:空调、UPS 运行正常';
const PROBLEM = '备份目录所在磁盘剩余空间不足,已通知机房扩容';

let server;
let page;
let errors;

const scenario = demoScenario({ records: 30 });
const { step, signIn, signOut, broken } = scenario;
before(async () => ({ server, page, errors } = await scenario.start()), { timeout: 120_000 });

test('the system administrator runs the health checks from the status board', { timeout: STEP_TIMEOUT }, () =>
  step('status-board', async () => {
    await signIn(SYSADMIN);
    await page.getByRole('link', { name: '运行状态' }).first().click();
    const board = page.getByTestId('status-board');
    await board.waitFor();
    await board.getByTestId('run-checks').click();
    await board.getByTestId('check-database').getByText('正常').waitFor();
    const database = await board.getByTestId('check-database').innerText();
    assert.match(database, /往返 \d+ 毫秒/, 'the round trip is shown');
    const backup = await board.getByTestId('check-backup').innerText();
    assert.match(backup, /数据备份/);
    await page.screenshot({ path: join(SCREENSHOTS, 'ops-status-board.png'), fullPage: true });
  }));

test('writes an inspection into the operation log and finds it by its words', { timeout: STEP_TIMEOUT }, () =>
  step('operation-log', async () => {
    await page.getByRole('link', { name: '运行日志' }).first().click();
    const form = page.getByTestId('oplog-form');
    await form.waitFor();
    await form.getByLabel('类型').selectOption({ label: '巡检' });
    await form.getByLabel('内容').fill(INSPECTION);
    await form.getByRole('button', { name: '记入运行日志' }).click();
    await form.getByText('已记入运行日志。').waitFor();
    await page.getByTestId('oplog').getByText(INSPECTION).waitFor();
    // The automatic checks' changes of state are there too, written by the platform.
    await page.getByTestId('oplog').getByText('平台自动').first().waitFor();
    await page.getByLabel('关键词').fill('空调');
    await page.getByTestId('oplog-search').getByRole('button', { name: '查询', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="oplog"] tbody tr').length === 1);
    const row = await page.getByTestId('oplog').locator('tbody tr').first().innerText();
    assert.match(row, /巡检/);
    assert.match(row, /罗明/, 'the author by name');
    await page.screenshot({ path: join(SCREENSHOTS, 'ops-operation-log.png'), fullPage: true });
  }));

test('files the daily pre-work check item by item, the backup with a problem', { timeout: STEP_TIMEOUT }, () =>
  step('daily-check', async () => {
    await page.getByRole('link', { name: '上班前检查' }).first().click();
    const check = page.getByTestId('daily-check');
    await check.waitFor();
    // Each item shows what the automatic checks said of it.
    await check.getByTestId('daily-check-item-platform').getByText('数据库连接').waitFor();
    await check.getByTestId('daily-check-form-platform').getByRole('button', { name: '确认此项' }).click();
    await check.getByTestId('daily-check-verdict-platform').getByText('正常').waitFor();
    await check.getByTestId('daily-check-form-portal').getByRole('button', { name: '确认此项' }).click();
    await check.getByTestId('daily-check-verdict-portal').getByText('正常').waitFor();
    const backup = check.getByTestId('daily-check-form-backup');
    await backup.getByLabel('有问题').check();
    // A problem without a note is refused before anything is sent.
    await backup.getByRole('button', { name: '确认此项' }).click();
    await backup.getByText('发现问题时请写明问题').waitFor();
    await backup.getByLabel('说明').fill(PROBLEM);
    await backup.getByRole('button', { name: '确认此项' }).click();
    await check.getByTestId('daily-check-verdict-backup').getByText('有问题').waitFor();
    assert.equal((await check.getByTestId('daily-check-state').innerText()).trim(), '发现问题');
    await page.getByTestId('daily-check-history').getByText('发现问题').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'ops-daily-check.png'), fullPage: true });
  }));

test('the problem raises the banner and is in the operation log', { timeout: STEP_TIMEOUT }, () =>
  step('banner', async () => {
    await page.goto(server.base + '/workbench');
    await page.getByTestId('dashboard-alert').getByText('上班前检查发现问题').waitFor();
    await page.goto(server.base + '/workbench/ops/log');
    await page.getByTestId('oplog').getByText(PROBLEM, { exact: false }).waitFor();
    await signOut();
    await signIn(CREDIT_ADMIN);
    await page.getByTestId('dashboard-alert').getByText('上班前检查发现问题').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'ops-banner-credit-admin.png'), fullPage: true });
    assert.deepEqual(broken, [], 'no answer with a 5xx status');
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no console errors');
  }));
