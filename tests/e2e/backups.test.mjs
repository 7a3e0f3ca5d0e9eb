// Backups as the database administrator keeps them, on a server filled by `credit-api seed-demo`:
// a key pair made with `credit-api backup keygen` (the private key stays in a file on the server), the plan set in
// the workbench (数据备份), a backup run now and seen verified — restored into a scratch database and checked — in
// the list; the restore runbook is there to read. Screenshots land in target/e2e/.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoScenario, ROOT, SCREENSHOTS } from './harness.mjs';

const STEP_TIMEOUT = 90_000;

let page;
let errors;

const scenario = demoScenario({ records: 40 });
const { step, signIn, broken } = scenario;
before(async () => ({ page, errors } = await scenario.start()), { timeout: 120_000 });

/** A key pair for the plan: the private key in a fresh directory, the public key as printed. */
function keyPair() {
  const dir = mkdtempSync(join(tmpdir(), 'credit-e2e-backup-'));
  const bin = process.env.CREDIT_API_BIN || join(ROOT, 'target/debug/credit-api');
  const keyFile = join(dir, 'backup.agekey');
  const printed = execFileSync(bin, ['backup', 'keygen', '--out', keyFile], { encoding: 'utf8', timeout: 30_000 });
  const recipient = printed.match(/(age1[0-9a-z]+)/)?.[1];
  assert.ok(recipient, printed);
  return { dir, keyFile, recipient };
}

test('the database administrator sets the plan, runs a backup and sees it verified', { timeout: STEP_TIMEOUT }, async () => {
  const { dir, keyFile, recipient } = keyPair();
  await step('backups-plan', async () => {
    await signIn('demo.db.admin');
    await page.getByRole('link', { name: '数据备份' }).first().click();
    await page.getByTestId('backups').waitFor();
    await page.getByTestId('backups-empty').waitFor();
    // Paused: the server's own daily run must not start beside the one run here.
    await page.getByLabel('按计划每天自动备份').uncheck();
    await page.getByLabel('备份时间(北京时间)').fill('02:30');
    await page.getByLabel('保留份数').fill('7');
    await page.getByLabel('备份目录').fill(join(dir, 'backups'));
    await page.getByLabel('加密公钥(age)').fill('age1notakey');
    await page.getByLabel('私钥文件路径').fill(keyFile);
    await page.getByRole('button', { name: '保存计划' }).click();
    await page.getByTestId('error-recipient').filter({ hasText: 'age' }).waitFor();
    await page.getByLabel('加密公钥(age)').fill(recipient);
    await page.getByRole('button', { name: '保存计划' }).click();
    await page.getByTestId('backup-plan-state').filter({ hasText: '自动备份已暂停' }).waitFor();
  });
  await step('backups-run', async () => {
    await page.getByTestId('backup-run').click();
    const row = page.getByTestId('backup-row').first();
    await row.waitFor();
    await page.locator('[data-testid="backup-row"][data-state="verified"]').first().waitFor({ timeout: 60_000 });
    assert.match(await row.getByTestId('backup-state').innerText(), /已验证/);
    assert.match(await row.innerText(), /审计链/);
    await page.screenshot({ path: join(SCREENSHOTS, 'backups.png'), fullPage: true });
  });
  await step('backups-runbook', async () => {
    await page.getByRole('link', { name: '恢复手册' }).first().click();
    await page.getByTestId('backup-runbook').waitFor();
    assert.match(await page.getByTestId('backup-runbook').innerText(), /credit-api backup restore/);
  });
  // The plan answers 404 until one is kept: the browser logs that, and nothing else may go wrong.
  assert.deepEqual(errors.filter((e) => !/status of (404|422)/.test(e)), []);
  assert.deepEqual(broken, []);
});
