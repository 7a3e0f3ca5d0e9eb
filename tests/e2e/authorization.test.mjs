// Authorised use of credit information as people use it, on a server filled by `credit-api seed-demo`: a county
// user unit asks for a subject's authorised-use credit evaluation through the form, which shows the usage
// agreement that covers it; the providing unit, its pending count on the menu, approves in its
// inbox; the user unit then reads the record in full; the provider sees the read in the usage log and
// revokes the grant; the record is closed to the user unit again. A decision someone else took first is
// explained to the person who tried to take it.
// Screenshots land in target/e2e/; a failing step also leaves target/e2e/failed-<step>.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoScenario, SCREENSHOTS, DEMO_PASSWORD } from './harness.mjs';

const STEP_TIMEOUT = 90_000;
const USER = 'demo.county.user';
const USER_UNIT = '濂溪区财政局';
const PROVIDER = 'demo.county.provider';
const PROVIDER_UNIT = '濂溪区市场监督管理局';
const ITEM = 'CREDIT_EVALUATION';
const LETTER = '濂溪区财政局关于核查供应商信用情况的函.pdf';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const LEGAL_BASIS = '《九江市公共信用信息管理办法》第十八条;《濂溪区政府采购供应商信用审查办法》';

let server;
let page;
let errors;
// The record the user unit asks for (found through the API, not hard-coded), its subject, and how the provider
// reads it.
let target;

const scenario = demoScenario({ records: 200 });
const { step, signIn, signOut, broken } = scenario;
before(async () => ({ server, page, errors } = await scenario.start()), { timeout: 120_000 });

/** The API as `login` (over HTTP, beside the browser): a function calling it and answering `{status, body}`. */
async function apiAs(login) {
  const response = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login_name: login, password: DEMO_PASSWORD }),
  });
  assert.equal(response.status, 200, `${login} signs in over HTTP`);
  const { access_token: token } = await response.json();
  return async (method, path, body) => {
    const answer = await fetch(`${server.base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await answer.text();
    return { status: answer.status, body: text ? JSON.parse(text) : null };
  };
}

/**
 * Authorised-use credit evaluations of the county provider that the county user unit may ask for, by subject: the
 * provider lists its records, and the user unit's preview must offer the record under a current agreement.
 */
async function requestableRecords(count) {
  const provider = await apiAs(PROVIDER);
  const user = await apiAs(USER);
  const listed = await provider('GET', `/records?catalog_item=${ITEM}&disclosure_class=authorized&status=active&limit=100`);
  assert.equal(listed.status, 200, 'the provider lists its credit evaluations');
  const found = [];
  const subjects = new Set();
  for (const record of listed.body.items) {
    if (subjects.has(record.subject.code)) continue;
    subjects.add(record.subject.code);
    const query = `subject_code=${record.subject.code}&catalog_item=${ITEM}&purpose=administrative_approval`;
    const preview = await user('GET', `/authorization/targets?${query}`);
    if (preview.status !== 200 || !preview.body.agreement) continue;
    const offered = preview.body.providers.flatMap((p) => p.records.map((r) => r.id));
    if (offered.includes(record.id)) found.push(record);
    if (found.length === count) break;
  }
  assert.ok(found.length > 0, 'some credit evaluation of the county provider may be requested by the county user unit');
  return found;
}

test('a county user unit asks for a credit evaluation through the form, which names the covering agreement', { timeout: STEP_TIMEOUT }, () =>
  step('request', async () => {
    const [record] = await requestableRecords(1);
    const provider = await apiAs(PROVIDER);
    const full = await provider('GET', `/records/${record.id}`);
    assert.equal(full.status, 200);
    target = { record, fields: full.body.fields };

    await signIn(USER);
    // Before any request, the record is closed to the user unit.
    await page.goto(`${server.base}/workbench/records/${record.id}`);
    await page.getByTestId('record-missing').waitFor();

    await page.getByRole('navigation', { name: '工作台菜单' }).getByRole('link', { name: '申请授权使用' }).click();
    await page.getByTestId('new-request').waitFor();
    await page.getByLabel('主体代码').fill(record.subject.code);
    await page.getByRole('combobox', { name: '目录项' }).selectOption(ITEM);
    await page.getByRole('combobox', { name: '用途' }).selectOption('administrative_approval');

    const preview = page.getByTestId('target-preview');
    const agreement = preview.getByTestId('covering-agreement');
    await agreement.waitFor();
    target.agreementNo = (await agreement.getByTestId('agreement-no').innerText()).trim();
    assert.ok(target.agreementNo.length >= 2, 'the covering agreement is named by its document number');
    assert.match(await agreement.innerText(), /有效期 \d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}/);
    const group = preview.getByTestId('target-provider').filter({ hasText: PROVIDER_UNIT });
    await group.waitFor();
    await group.getByTestId('target-record').filter({ hasText: record.subject.name }).first().waitFor();
    assert.equal(await page.getByLabel('申请使用期限(天)').inputValue(), '30');

    // The legal basis is required: the form says so beside the field before anything is sent.
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByTestId('error-legal_basis').getByText('请填写法律依据').waitFor();
    assert.equal(await page.getByLabel('法律依据').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('申请使用期限(天)').fill('120');
    await page.getByTestId('error-period_days').getByText('最长 90 天').waitFor();
    await page.getByLabel('申请使用期限(天)').fill('30');
    await page.getByLabel('法律依据').fill(LEGAL_BASIS);
    await page.screenshot({ path: join(SCREENSHOTS, 'authorization-form.png'), fullPage: true });
    await page.getByRole('button', { name: '提交申请' }).click();

    await page.getByTestId('outbox').waitFor();
    await page.getByTestId('notice').getByText('申请已提交').waitFor();
    const row = page.getByTestId('outbox-row').filter({ hasText: PROVIDER_UNIT }).first();
    await row.getByTestId('request-status').getByText('待审核').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'authorization-outbox.png'), fullPage: true });

    // A letter goes with the request, while it is pending; a text file is refused before it is sent.
    await row.getByRole('link').first().click();
    await page.getByTestId('request').waitFor();
    const file = page.getByLabel('添加附件');
    await file.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a letter') });
    await page.getByTestId('attachments').getByText('只能上传 PDF、JPEG 或 PNG 文件').waitFor();
    await file.setInputFiles({ name: LETTER, mimeType: 'application/pdf', buffer: PDF });
    await page.getByTestId('attachments').getByRole('button', { name: '上传' }).click();
    await page.getByTestId('attachment').getByText(LETTER).waitFor();
    await signOut();
  }));

test('the provider sees the pending count and approves the request in its inbox', { timeout: STEP_TIMEOUT }, () =>
  step('approve', async () => {
    await signIn(PROVIDER);
    const tile = page.getByRole('navigation', { name: '工作台功能' }).getByRole('link', { name: /授权审核/ });
    const badge = tile.getByTestId('pending-badge');
    await badge.waitFor();
    assert.ok(Number.parseInt(await badge.innerText(), 10) >= 1, 'the pending count shows on the tile');
    await page.getByTestId('authorization-card').getByTestId('stat-inbox').waitFor();
    await tile.click();

    await page.getByTestId('inbox').waitFor();
    // The menu's entry carries the count too (the provider's open objections have a badge of their own).
    const inboxEntry = page.getByRole('navigation', { name: '工作台菜单' }).getByRole('link', { name: /授权审核/ });
    await inboxEntry.getByTestId('pending-badge').waitFor();
    const row = page.getByTestId('inbox-row').filter({ hasText: USER_UNIT }).first();
    await row.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'authorization-inbox.png'), fullPage: true });
    await row.getByRole('link', { name: '审核' }).click();

    await page.getByTestId('request').waitFor();
    assert.equal((await page.getByTestId('request-agreement').innerText()).trim(), target.agreementNo);
    await page.getByTestId('request-facts').getByText(LEGAL_BASIS).waitFor();
    await page.getByTestId('request-record').filter({ hasText: target.record.subject.name }).first().waitFor();
    // The requester's letter downloads as it was sent.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('attachment').getByRole('button', { name: LETTER }).click(),
    ]);
    assert.equal(download.suggestedFilename(), LETTER);
    assert.deepEqual(readFileSync(await download.path()), PDF);

    await page.getByRole('button', { name: '同意', exact: true }).click();
    const dialog = page.getByTestId('approve-dialog');
    await dialog.getByLabel('审核意见(可选)').fill('同意,仅限本次政府采购审查使用');
    await dialog.getByRole('button', { name: '确认同意' }).click();
    await page.getByTestId('notice').getByText('已同意').waitFor();
    await page.getByTestId('request').getByTestId('request-status').getByText('已同意').waitFor();
    // The decision takes the request off the menu's count at once.
    await inboxEntry.getByTestId('pending-badge').waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('button', { name: '同意', exact: true }).count(), 0, 'no second decision');
    await page.screenshot({ path: join(SCREENSHOTS, 'authorization-approved.png'), fullPage: true });
  }));

test('a decision someone else took first is explained, and the page shows the request as it stands', { timeout: STEP_TIMEOUT }, () =>
  step('conflict', async () => {
    // The user unit asks again for the same record, for another purpose.
    const user = await apiAs(USER);
    const filed = await user('POST', '/authorization/requests', {
      subject_code: target.record.subject.code,
      catalog_item: ITEM,
      purpose: 'supervision_enforcement',
      legal_basis: LEGAL_BASIS,
      period_days: 10,
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const mine = filed.body.requests.find((r) => r.provider_org_name === PROVIDER_UNIT);
    assert.ok(mine, 'one of the filed requests goes to the county provider');
    await page.goto(`${server.base}/workbench/authorization/requests/${mine.id}`);
    await page.getByTestId('request').getByTestId('request-status').getByText('待审核').waitFor();
    // Meanwhile the user unit withdraws it.
    const withdrawn = await user('POST', `/authorization/requests/${mine.id}/withdraw`, { reason: '已通过其他渠道核实' });
    assert.equal(withdrawn.status, 200);
    await page.getByRole('button', { name: '拒绝', exact: true }).click();
    const dialog = page.getByTestId('reject_reason-dialog');
    await dialog.getByRole('button', { name: '确认拒绝' }).click();
    await dialog.getByTestId('error-reject_reason').getByText('请说明原因').waitFor();
    await dialog.getByLabel('拒绝原因').fill('用途与协议不符');
    await dialog.getByRole('button', { name: '确认拒绝' }).click();
    await page.getByTestId('notice').getByText('不能重复处理').waitFor();
    await page.getByTestId('request').getByTestId('request-status').getByText('已撤回').waitFor();
  }).finally(() => signOut().catch(() => {})));

test('the user unit reads the granted record in full', { timeout: STEP_TIMEOUT }, () =>
  step('read', async () => {
    await signIn(USER);
    await page.getByRole('navigation', { name: '工作台功能' }).getByRole('link', { name: /授权申请/ }).click();
    await page.getByTestId('outbox').waitFor();
    const grant = page.getByTestId('held-row').filter({ hasText: PROVIDER_UNIT }).first();
    await grant.getByTestId('grant-status').getByText('有效').waitFor();
    const links = grant.getByTestId('granted-record');
    const count = await links.count();
    let opened = false;
    for (let i = 0; i < count && !opened; i++) {
      if ((await links.nth(i).getAttribute('title')) === target.record.id) {
        await links.nth(i).click();
        opened = true;
      }
    }
    assert.ok(opened, 'the held grant links to the requested record');

    const record = page.getByTestId('record');
    await record.waitFor();
    await record.getByTestId('granted-badge').getByText('经授权查看').waitFor();
    const fields = page.getByTestId('record-fields');
    assert.ok(target.fields.length > 0);
    for (const field of target.fields) {
      await fields.getByText(field.value, { exact: true }).first().waitFor();
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'authorization-granted-record.png'), fullPage: true });
    await signOut();
  }));

test('the provider sees the read in the usage log and revokes the grant', { timeout: STEP_TIMEOUT }, () =>
  step('revoke', async () => {
    await signIn(PROVIDER);
    await page.getByRole('navigation', { name: '工作台功能' }).getByRole('link', { name: /已授权/ }).click();
    await page.getByTestId('grants').waitFor();
    const row = page.getByTestId('grant-row').filter({ hasText: USER_UNIT }).first();
    await row.waitFor();
    await row.getByRole('button', { name: '使用记录' }).click();
    const uses = page.getByTestId('grant-uses');
    await uses.getByTestId('use-row').filter({ hasText: '周敏' }).first().waitFor();
    await page.getByTestId('unit-uses').getByTestId('use-row').filter({ hasText: target.record.id.slice(-12) }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'authorization-grants.png'), fullPage: true });

    await row.getByRole('button', { name: '撤销' }).click();
    const dialog = page.getByTestId('revoke_reason-dialog');
    await dialog.getByLabel('撤销原因').fill('审查已结束,不再需要使用');
    await dialog.getByRole('button', { name: '确认撤销' }).click();
    await page.getByTestId('notice').getByText('授权已撤销').waitFor();
    await signOut();
  }));

test('after the revocation the record is closed to the user unit again', { timeout: STEP_TIMEOUT }, () =>
  step('closed', async () => {
    await signIn(USER);
    await page.goto(`${server.base}/workbench/records/${target.record.id}`);
    const missing = page.getByTestId('record-missing');
    await missing.getByText('未找到相关信息,或您无权查看').waitFor();
    assert.equal(await page.getByTestId('record-fields').count(), 0);
    await page.goto(`${server.base}/workbench/authorization/outbox`);
    await page.getByTestId('held-grants').waitFor();
    await page.getByTestId('held-grants').getByLabel('状态').selectOption('revoked');
    await page.getByTestId('held-row').filter({ hasText: PROVIDER_UNIT }).getByTestId('grant-status').getByText('已撤销').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'authorization-revoked.png'), fullPage: true });
    await signOut();
  }));

test('the competent office records a usage agreement and suspends it', { timeout: STEP_TIMEOUT }, () =>
  step('agreements', async () => {
    await signIn('demo.city.admin');
    await page.getByRole('navigation', { name: '工作台功能' }).getByRole('link', { name: /使用协议/ }).click();
    await page.getByTestId('agreements').waitFor();
    await page.getByTestId('agreement-row').filter({ hasText: USER_UNIT }).first().waitFor();

    const form = page.getByTestId('agreement-form');
    await form.getByRole('button', { name: '登记协议' }).click();
    await page.getByTestId('error-organisation_id').getByText('请选择使用单位').waitFor();
    await page.getByTestId('error-catalog_items').getByText('至少选择一个目录项').waitFor();
    const number = `九信用协〔2026〕E2E${Date.now() % 1000}号`;
    await form.getByRole('combobox', { name: '使用单位' }).selectOption({ label: '九江市财政局' });
    await form.getByLabel('协议编号').fill(number);
    await form.getByRole('group', { name: '目录项' }).getByLabel(/信用评价/).check();
    await form.getByRole('group', { name: '用途' }).getByLabel('公共资源交易').check();
    await form.getByLabel('截止日期').fill('2026-01-01');
    await form.getByLabel('起始日期').fill('2026-06-01');
    await page.getByTestId('error-valid_to').getByText('截止日期不能早于起始日期').waitFor();
    await form.getByLabel('截止日期').fill('2027-06-01');
    await form.getByRole('button', { name: '登记协议' }).click();
    await page.getByTestId('notice').getByText(`已登记协议 ${number}`).waitFor();

    const row = page.getByTestId('agreement-row').filter({ hasText: number });
    await row.getByRole('button', { name: '暂停' }).click();
    const dialog = page.getByTestId('agreement_reason-dialog');
    await dialog.getByLabel('原因').fill('协议单位机构调整,待重新确认');
    await dialog.getByRole('button', { name: '确认暂停' }).click();
    await page.getByTestId('notice').getByText('协议已暂停').waitFor();
    await row.getByText('已暂停').waitFor();
    await row.getByRole('button', { name: '恢复' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'authorization-agreements.png'), fullPage: true });
    await signOut();
  }));

test('no page logged an error but the refusals this test provoked', () => {
  const unexpected = errors.filter((e) => !/status of (404|409|422)/.test(e));
  assert.deepEqual(unexpected, []);
  assert.deepEqual(broken, [], 'server errors');
});
