// The performance page as the system administrator reads it, on a server filled by `credit-api seed-demo`
// that archives a snapshot every 2 seconds: a tuning action written into the operation log shows as a vertical line
// (its text the tooltip) on the last 24 hours' charts and in their list; the charts draw the archived snapshots.
// Screenshots land in target/e2e/; a failing step also leaves target/e2e/failed-<step>.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoScenario, SCREENSHOTS } from './harness.mjs';

// The server under test inherits the environment: snapshots every 2 seconds instead of every 5 minutes.
process.env.CREDIT_PERFORMANCE_INTERVAL_SECONDS = '2';

const STEP_TIMEOUT = 90_000;
const SYSADMIN = 'demo.system.admin';
const TUNING = '数据库连接池上限由 16 调为 24';

let page;
let errors;

const scenario = demoScenario({ records: 30 });
const { step, signIn, broken } = scenario;
before(async () => ({ page, errors } = await scenario.start()), { timeout: 120_000 });

test('a tuning action written into the operation log', { timeout: STEP_TIMEOUT }, () =>
  step('tuning-entry', async () => {
    await signIn(SYSADMIN);
    await page.getByRole('link', { name: '运行日志' }).first().click();
    const form = page.getByTestId('oplog-form');
    await form.waitFor();
    await form.getByLabel('类型').selectOption({ label: '调优' });
    await form.getByLabel('内容').fill(TUNING);
    await form.getByRole('button', { name: '记入运行日志' }).click();
    await form.getByText('已记入运行日志。').waitFor();
  }));

test('marks the performance charts of the last 24 hours', { timeout: STEP_TIMEOUT }, () =>
  step('performance', async () => {
    // A few snapshots are archived meanwhile.
    await page.waitForTimeout(5_000);
    await page.getByRole('link', { name: '性能状况' }).first().click();
    const day = page.getByTestId('performance-24h');
    await day.getByTestId('tuning-24h').getByText(TUNING).waitFor();
    const latency = day.getByTestId('chart-throughput-24h');
    await latency.locator('svg path.chart__line').first().waitFor();
    const marker = latency.getByTestId('tuning-marker').first();
    assert.match(await marker.locator('title').textContent(), new RegExp(TUNING));
    await page.getByTestId('performance-30d').getByTestId('chart-memory-30d').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'performance.png'), fullPage: true });
    assert.deepEqual(broken, [], 'no answer with a 5xx status');
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no console errors');
  }));
