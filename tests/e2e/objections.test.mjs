// Objections as people raise and handle them, on a server filled by `credit-api seed-demo`: a visitor
// objects on the portal to the showcase company's public penalty, with a PDF as evidence, and notes the tracking
// number and query code; the record shows "异议处理中"; the providing unit (九江市市场监督管理局) finds the objection
// in its queue, reads the evidence, accepts it and decides "corrected", changing the fine through the correction
// form; the visitor tracks the objection to "已更正" with its reason and sees the corrected record on the portal,
// no longer marked. The competent office follows the objections of its area on its overview and keeps the
// working-day calendar the deadlines are counted on.
// Screenshots land in target/e2e/; a failing step also leaves target/e2e/failed-<step>.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoScenario, SCREENSHOTS } from './harness.mjs';

const STEP_TIMEOUT = 90_000;
const COMPANY = '九江市浔阳长江建材有限公司';
const COMPANY_USCC = '91360403MA38JJ2C5F';
const PROVIDER = 'demo.city.provider';
const PROVIDER_UNIT = '九江市市场监督管理局';
const EVIDENCE = '罚款缴纳凭证.pdf';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const CLAIM = '处罚决定书载明的罚款金额为人民币30000元,公示的罚款金额36000元有误,请予更正。';
const REASON = '经核对行政处罚决定书原件,罚款金额应为30000元,已更正公示信息。';
const NEW_FINE = '30000.00';

let server;
let page;
let errors;
// What the visitor noted down, and the record objected to.
const filed = {};

const scenario = demoScenario({ records: 60 });
const { step, signIn, signOut, broken } = scenario;
before(async () => ({ server, page, errors } = await scenario.start()), { timeout: 120_000 });

/** The value shown beside `label` in a list of facts. */
async function fact(list, label) {
  return list.locator('dt', { hasText: label }).first().locator('xpath=following-sibling::dd[1]').innerText();
}

test('a visitor objects to the showcase penalty on the portal, with a PDF as evidence', { timeout: STEP_TIMEOUT }, () =>
  step('file', async () => {
    await page.goto(server.base + '/');
    await page.getByLabel('查询信用主体').fill(COMPANY_USCC);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByTestId('search-result').getByRole('link', { name: COMPANY }).click();
    const card = page.getByTestId('subject-record').filter({ hasText: '行政处罚' }).filter({ hasText: PROVIDER_UNIT });
    await card.getByRole('link', { name: '行政处罚' }).click();
    const record = page.getByTestId('public-record');
    await record.waitFor();
    filed.recordId = new URL(page.url()).pathname.split('/').pop();
    filed.fine = (await fact(page.getByTestId('public-fields'), '罚款金额')).trim();
    assert.equal(filed.fine, '36000.00', 'the fine as published before the objection');
    assert.equal(await record.getByTestId('objection-badge').count(), 0, 'no mark before the objection');

    await page.getByRole('button', { name: '提出异议' }).click();
    const form = page.getByTestId('objection-form');
    // Nothing filled in: the form says what is missing beside each field before anything is sent.
    await form.getByRole('button', { name: '提交异议' }).click();
    await form.getByTestId('error-appellant_name').getByText('请填写申诉人姓名').waitFor();
    await form.getByTestId('error-phone').getByText('请填写手机号码或电子邮箱').waitFor();
    await form.getByTestId('error-claim_type').getByText('请选择异议类型').waitFor();
    assert.equal(await form.getByLabel('申诉人姓名').getAttribute('aria-invalid'), 'true');

    await form.getByLabel('申诉人姓名').fill('张小三');
    await form.getByLabel('手机号码').fill('1390792');
    await form.getByTestId('error-phone').getByText('手机号码为 11 位数字').waitFor();
    await form.getByLabel('手机号码').fill('13907920001');
    await form.getByLabel('与信用主体的关系').selectOption('legal_representative');
    await form.getByLabel('异议类型').selectOption('content_wrong');
    await form.getByLabel('异议内容').fill(CLAIM);
    // Evidence other than PDF, JPEG or PNG is refused in the browser already.
    const files = form.getByLabel('证据材料(可选)');
    await files.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not evidence') });
    await form.getByTestId('error-evidence').getByText('不是 PDF、JPEG 或 PNG 文件').waitFor();
    await files.setInputFiles({ name: EVIDENCE, mimeType: 'application/pdf', buffer: PDF });
    await form.getByTestId('evidence-file').filter({ hasText: EVIDENCE }).waitFor();
    assert.equal(await form.getByTestId('error-evidence').innerText(), '', 'the PDF clears the error');
    await page.screenshot({ path: join(SCREENSHOTS, 'objection-form.png'), fullPage: true });
    await form.getByRole('button', { name: '提交异议' }).click();

    const answer = page.getByTestId('objection-filed');
    await answer.waitFor();
    filed.number = (await answer.getByTestId('tracking-number').innerText()).trim();
    filed.code = (await answer.getByTestId('query-code').innerText()).trim();
    assert.ok(filed.number.length >= 6, `a tracking number: ${filed.number}`);
    assert.ok(filed.code.length >= 6, 'a query code');
    await answer.getByText('请立即记下受理编号和查询码').waitFor();
    // The record is marked at once.
    await record.getByTestId('objection-badge').getByText('异议处理中').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'objection-filed.png'), fullPage: true });
  }));

test('the mark shows on the portal, the code is shown only once, and a second objection is refused', { timeout: STEP_TIMEOUT }, () =>
  step('marked', async () => {
    await page.goto(`${server.base}/records/${filed.recordId}`);
    await page.getByTestId('public-record').getByTestId('objection-badge').getByText('异议处理中').waitFor();
    assert.equal(await page.getByTestId('objection-filed').count(), 0, 'the query code is not shown again');
    await page.getByRole('link', { name: COMPANY }).first().click();
    await page.getByTestId('subject-record').filter({ hasText: '行政处罚' }).getByTestId('objection-badge').waitFor();

    // The same contact cannot open a second objection on the record: the answer names nothing of the open one
    // (whoever files may have typed someone else's phone); a reminder goes to the registered contact instead.
    await page.goto(`${server.base}/records/${filed.recordId}`);
    await page.getByRole('button', { name: '提出异议' }).click();
    const form = page.getByTestId('objection-form');
    await form.getByLabel('申诉人姓名').fill('张小三');
    await form.getByLabel('手机号码').fill('13907920001');
    await form.getByLabel('与信用主体的关系').selectOption('legal_representative');
    await form.getByLabel('异议类型').selectOption('other');
    await form.getByLabel('异议内容').fill('再次提出:罚款金额与决定书不一致,请核实。');
    await form.getByRole('button', { name: '提交异议' }).click();
    const duplicate = form.getByTestId('duplicate-objection');
    await duplicate.getByText('您对该记录已有正在办理的异议申诉,我们已向您登记的联系方式发送提醒').waitFor();
    assert.ok(!(await duplicate.innerText()).includes(filed.number), 'the tracking number is not shown');
    assert.ok(!(await page.locator('body').innerText()).includes(filed.number), 'nowhere on the page');
  }));

test('the providing unit finds the objection in its queue, reads the evidence and accepts it', { timeout: STEP_TIMEOUT }, () =>
  step('accept', async () => {
    await signIn(PROVIDER);
    const tile = page.getByRole('navigation', { name: '工作台功能' }).getByRole('link', { name: /异议处理/ });
    const badge = tile.getByTestId('pending-badge');
    await badge.waitFor();
    assert.ok(Number.parseInt(await badge.innerText(), 10) >= 1, 'the open count shows on the tile');
    await tile.click();

    await page.getByTestId('objection-queue').waitFor();
    const row = page.getByTestId('objection-row').filter({ hasText: filed.number });
    await row.waitFor();
    await row.getByText(COMPANY).waitFor();
    await row.getByTestId('objection-status').getByText('已提交').waitFor();
    // The list masks the contact.
    assert.ok(!(await row.innerText()).includes('13907920001'), 'the phone number is masked in the list');
    await page.screenshot({ path: join(SCREENSHOTS, 'objection-queue.png'), fullPage: true });
    await row.getByRole('link').click();

    const detail = page.getByTestId('objection');
    await detail.waitFor();
    await detail.getByTestId('objection-description').getByText(CLAIM).waitFor();
    // The providing unit's handler sees the full contact.
    assert.equal((await detail.getByTestId('objection-phone').innerText()).trim(), '13907920001');
    await page.getByTestId('objection-steps').getByText('提交异议').waitFor();
    const evidence = page.getByTestId('evidence-item').filter({ hasText: EVIDENCE });
    await evidence.waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      evidence.getByRole('button', { name: `下载 ${EVIDENCE}` }).click(),
    ]);
    assert.equal(download.suggestedFilename(), EVIDENCE);
    assert.deepEqual(readFileSync(await download.path()), PDF, 'the evidence is the file the visitor sent');

    await detail.getByRole('button', { name: '受理', exact: true }).click();
    await page.getByTestId('accept-dialog').getByRole('button', { name: '确认受理' }).click();
    await page.getByTestId('notice').getByText('已受理').waitFor();
    await page.getByTestId('objection').getByTestId('objection-status').getByText('已受理').waitFor();
    await page.getByTestId('objection-steps').getByText('受理', { exact: true }).waitFor();
  }));

test('the providing unit decides "corrected", changing the fine through the correction form', { timeout: STEP_TIMEOUT }, () =>
  step('correct', async () => {
    await page.getByTestId('objection').getByRole('button', { name: '办结', exact: true }).click();
    const dialog = page.getByTestId('decide-dialog');
    // Without an outcome and a reason nothing is sent.
    await dialog.getByRole('button', { name: '确认办结' }).click();
    await dialog.getByTestId('error-outcome').getByText('请选择处理结果').waitFor();

    await dialog.getByRole('radio', { name: /已更正/ }).check();
    const correction = dialog.getByTestId('correction');
    await correction.waitFor();
    const fine = correction.getByLabel(/罚款金额/);
    assert.equal(await fine.inputValue(), filed.fine, 'the correction starts from the current values');
    // Nothing changed yet: a correction must change something.
    await dialog.getByLabel('处理理由').fill(REASON);
    await dialog.getByRole('button', { name: '确认办结' }).click();
    await dialog.getByTestId('error-correction').getByText('请至少修改一项内容').waitFor();
    await fine.fill('30000.5.5');
    await dialog.getByTestId('error-values.fine_amount').waitFor();
    await fine.fill(NEW_FINE);
    await correction.getByTestId('correction-change').filter({ hasText: '36000.00' }).filter({ hasText: NEW_FINE }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'objection-decide.png'), fullPage: true });
    await dialog.getByRole('button', { name: '确认办结' }).click();

    await page.getByTestId('notice').getByText('已更正').waitFor();
    const detail = page.getByTestId('objection');
    await detail.getByTestId('objection-status').getByText('已办结').waitFor();
    await detail.getByTestId('objection-outcome').getByText('已更正').waitFor();
    await detail.getByTestId('objection-reason').getByText(REASON).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'objection-decided.png'), fullPage: true });

    // The record's new version holds the corrected fine.
    await detail.getByRole('link', { name: /信用信息|行政处罚/ }).first().click();
    await page.getByTestId('record').waitFor();
    assert.equal((await fact(page.getByTestId('record-fields'), '罚款金额')).trim(), NEW_FINE);
    await signOut();
  }));

test('the visitor tracks the objection to "corrected" and sees the corrected record, no longer marked', { timeout: STEP_TIMEOUT }, () =>
  step('track', async () => {
    await page.goto(server.base + '/');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '异议查询' }).click();
    const tracker = page.getByTestId('objection-track');
    await tracker.waitFor();
    // A wrong code gets the same answer as an unknown number.
    await tracker.getByLabel('受理编号').fill(filed.number);
    await tracker.getByLabel('查询码').fill('WRONG-CODE');
    await tracker.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('track-error').getByText('受理编号或查询码不正确').waitFor();

    await tracker.getByLabel('查询码').fill(filed.code);
    await tracker.getByRole('button', { name: '查询' }).click();
    const result = page.getByTestId('track-result');
    await result.waitFor();
    await result.getByTestId('track-outcome').getByText('已更正').waitFor();
    await result.getByTestId('track-reason').getByText(REASON).waitFor();
    for (const name of ['提交异议', '受理', '办结']) {
      await result.getByTestId('objection-step').filter({ hasText: name }).first().waitFor();
    }
    assert.equal(await result.getByRole('button', { name: '撤回异议' }).count(), 0, 'no withdrawal once decided');
    const shown = page.getByTestId('track-record');
    assert.equal((await fact(shown.getByTestId('public-fields'), '罚款金额')).trim(), NEW_FINE);
    assert.equal(await shown.getByTestId('objection-badge').count(), 0);
    await page.screenshot({ path: join(SCREENSHOTS, 'objection-tracked.png'), fullPage: true });

    await shown.getByRole('link', { name: '在信用门户查看该信息' }).click();
    const record = page.getByTestId('public-record');
    await record.waitFor();
    assert.equal((await fact(page.getByTestId('public-fields'), '罚款金额')).trim(), NEW_FINE);
    assert.equal(await record.getByTestId('objection-badge').count(), 0, 'the mark is gone');
  }));

test('the competent office oversees the objections of its area from the overview', { timeout: STEP_TIMEOUT }, () =>
  step('overview', async () => {
    await signIn('demo.city.admin');
    await page.getByRole('navigation', { name: '工作台功能' }).getByRole('link', { name: /异议概况/ }).click();
    const counts = page.getByTestId('objection-counts');
    await counts.waitFor();
    const figure = async (id) => Number.parseInt(await counts.getByTestId(id).locator('.stat__value').innerText(), 10);
    assert.ok((await figure('count-submitted')) >= 1, "the demo objection to 李四海's penalty waits for acceptance");
    assert.ok((await figure('count-decided')) >= 1, 'the objection decided above');
    // Either overdue objections are listed, or the list says there are none.
    await page.getByTestId('overdue-objections').getByText(/没有超期的异议|YY\d+/).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'objection-overview.png'), fullPage: true });

    // A figure leads to the queue filtered to it, where the decided objection is listed with its outcome.
    await counts.getByTestId('count-decided').click();
    await page.getByTestId('objection-queue').waitFor();
    const row = page.getByTestId('objection-row').filter({ hasText: filed.number });
    await row.getByTestId('objection-status').getByText('已办结').waitFor();
    await signOut();
  }));

test('the competent office keeps the working-day calendar', { timeout: STEP_TIMEOUT }, () =>
  step('calendar', async () => {
    await signIn('demo.city.admin');
    await page.getByRole('navigation', { name: '工作台功能' }).getByRole('link', { name: /工作日历/ }).click();
    const calendar = page.getByTestId('calendar');
    await calendar.getByTestId('calendar-form').waitFor();
    await calendar.getByLabel('年度').selectOption('2026');
    const rows = calendar.getByTestId('calendar-row');
    await rows.first().waitFor();
    const before = await rows.count();
    assert.ok(before > 0, 'the 2026 arrangement is seeded');
    await calendar.locator('[data-testid="calendar-row"][data-day="2026-10-01"]').getByText('星期四').waitFor();

    await calendar.getByRole('button', { name: '添加日期' }).click();
    const added = rows.last();
    await added.getByLabel('日期').fill('2027-01-01');
    await added.getByLabel('名称').fill('全市防汛应急停工');
    await calendar.getByRole('button', { name: '保存日历' }).click();
    await added.getByText('日期应在 2026 年内').waitFor();
    await added.getByLabel('日期').fill('2026-12-31');
    await calendar.getByRole('button', { name: '保存日历' }).click();
    await page.getByTestId('notice').getByText(`已保存 2026 年的 ${before + 1} 个特殊日期`).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'objection-calendar.png'), fullPage: true });

    // What was saved is what the API now lists.
    await page.reload();
    await calendar.getByTestId('calendar-form').waitFor();
    await calendar.locator('[data-testid="calendar-row"][data-day="2026-12-31"]').waitFor();
    assert.equal(await rows.count(), before + 1);
    await signOut();
  }));

test('no page logged an error but the refusals this test provoked', () => {
  const unexpected = errors.filter((e) => !/status of (404|409|422)/.test(e));
  assert.deepEqual(unexpected, []);
  assert.deepEqual(broken, [], 'server errors');
});
