// Credit records as people use them, on a server filled by `credit-api seed-demo`: a visitor finds a company on the
// portal and reads its masked record; a data provider uploads a batch with a bad row, fixes the file and
// uploads it again, then enters, corrects and revokes one record with checks as it types; the competent
// office sees its statistics and is stopped from defining a prohibited field.
// Screenshots land in target/e2e/; a failing step also leaves target/e2e/failed-<step>.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoScenario, SCREENSHOTS } from './harness.mjs';

const STEP_TIMEOUT = 90_000;
const SHOWCASE = '九江市浔阳长江建材有限公司';
// The showcase company's code, as the portal shows it.
let showcaseCode;
let server;
let page;
let errors;

const scenario = demoScenario({ records: 200 });
const { step, signIn, signOut, broken } = scenario;
before(async () => ({ server, page, errors } = await scenario.start()), { timeout: 120_000 });

/** The GB 32100 check character of the first 17 characters of a unified social credit code. */
const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function uscc(first17) {
  const sum = [...first17].reduce((s, c, i) => s + USCC.indexOf(c) * WEIGHTS[i], 0);
  return first17 + USCC[(31 - (sum % 31)) % 31];
}
/** A valid code nobody else uses, and the same code with a wrong check character. */
function freshCode(n) {
  const body = '91360400MA' + String(Date.now() % 1e6).padStart(6, '0') + USCC[n];
  const good = uscc(body);
  const bad = body + USCC[(USCC.indexOf(good[17]) + 1) % USCC.length];
  return { good, bad };
}

/** `days` ago as YYYY-MM-DD (safely in the past on the server's clock too). */
function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** One CSV line, quoting what needs it. */
function csvLine(values) {
  return values.map((v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',');
}

test('a visitor finds the company on the portal and reads its record, personal data masked', { timeout: STEP_TIMEOUT }, () =>
  step('portal-search', async () => {
    await page.goto(server.base + '/');
    await page.getByLabel('查询信用主体').fill('浔阳长江');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('search-status').getByText('已找到').waitFor();
    assert.equal(new URL(page.url()).pathname, '/search');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-results.png'), fullPage: true });
    await page.getByTestId('search-result').getByRole('link', { name: SHOWCASE }).click();

    await page.getByTestId('subject').getByRole('heading', { name: SHOWCASE }).waitFor();
    showcaseCode = (await page.getByTestId('subject').locator('dd.mono').innerText()).trim();
    assert.match(showcaseCode, /^[0-9A-Z]{18}$/);
    const penalty = page.getByTestId('subject-record').filter({ hasText: '行政处罚' }).first();
    await penalty.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-subject.png'), fullPage: true });
    await penalty.getByRole('link', { name: '行政处罚' }).click();

    const fields = page.getByTestId('public-fields');
    await fields.waitFor();
    await fields.getByText('张*三', { exact: true }).waitFor();
    const text = await page.locator('body').innerText();
    assert.match(text, /360403\*{12}/, 'the identity number shows masked, only its region kept');
    assert.doesNotMatch(text, /\d{17}[\dX]/, 'no 18-character identity number anywhere on the page');
    assert.doesNotMatch(text, /张小三/, 'the legal representative is not named in full');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-record.png'), fullPage: true });
  }));

test('a search with no match says so, and a one-character query is refused before it is sent', { timeout: STEP_TIMEOUT }, () =>
  step('portal-empty', async () => {
    await page.goto(server.base + '/search?q=' + encodeURIComponent('不存在的单位名称'));
    await page.getByTestId('search-empty').waitFor();
    await page.getByLabel('查询信用主体').fill('李');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByText('请输入至少两个字的名称或完整代码').waitFor();
  }));

test('a provider uploads a batch with a bad row, sees the row, fixes the file and uploads it again', { timeout: STEP_TIMEOUT }, () =>
  step('batch-upload', async () => {
    await signIn('demo.city.provider');
    await page.getByRole('navigation', { name: '工作台功能' }).getByRole('link', { name: /批量上传/ }).click();
    await page.getByTestId('upload').waitFor();
    await page.getByLabel('目录项').selectOption('ADM_PENALTY');

    // The template names the columns; the file is written with exactly those.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-link').click()]);
    const template = readFileSync(await download.path(), 'utf8');
    assert.ok(template.startsWith('\uFEFF'), 'the template carries a byte-order mark for spreadsheet programs');
    const columns = template.slice(1).split(/\r?\n/)[0].split(',');
    assert.deepEqual(columns.slice(0, 3), ['subject_kind', 'subject_code', 'subject_name']);

    const stamp = Date.now().toString(36);
    const names = ['甲', '乙', '丙'].map((n) => `九江市${n}号测试建材有限公司`);
    const codes = [0, 1, 2].map(freshCode);
    const file = (badRow) => {
      const rows = names.map((name, i) => {
        const row = {
          subject_kind: 'legal_person',
          subject_code: i === badRow ? codes[i].bad : codes[i].good,
          subject_name: name,
          decision_date: daysAgo(10 + i),
          provider_ref: `E2E-${stamp}-${i + 1}`,
          penalty_doc_no: `九市监罚〔2026〕E2E${i + 1}号`,
          violation_type: '销售不合格产品',
          violation_facts: '抽样检验不合格',
          legal_basis: '《中华人民共和国产品质量法》第四十九条',
          penalty_category: '罚款',
          penalty_content: '罚款人民币5000元',
          fine_amount: '5000.00',
          authority: '九江市市场监督管理局',
        };
        return csvLine(columns.map((c) => row[c] ?? ''));
      });
      return Buffer.from([columns.join(','), ...rows].join('\n') + '\n');
    };

    const upload = async (buffer) => {
      await page.getByLabel('CSV 文件').setInputFiles({ name: 'penalties.csv', mimeType: 'text/csv', buffer });
      await page.getByTestId('chosen-file').getByText('penalties.csv').waitFor();
      await page.getByRole('button', { name: '上传', exact: true }).click();
    };

    // Line 3 of the file (the second record) has a wrong check character.
    await upload(file(1));
    await page.getByTestId('batch-status').getByText('校验未通过').waitFor();
    const progress = page.getByTestId('batch-progress');
    assert.equal(await progress.getAttribute('value'), '3');
    assert.equal(await progress.getAttribute('max'), '3');
    const rows = page.getByTestId('batch-error-row');
    assert.equal(await rows.count(), 1);
    const cells = await rows.first().locator('td').allInnerTexts();
    assert.equal(cells[0], '3');
    assert.match(cells[1], /subject_code/);
    assert.match(cells[2], /校验位不正确/);
    await page.screenshot({ path: join(SCREENSHOTS, 'batch-rejected.png'), fullPage: true });

    await upload(file(-1));
    const success = page.getByTestId('batch-success');
    await success.waitFor();
    assert.match(await success.innerText(), /新增记录 3 条/);
    await page.screenshot({ path: join(SCREENSHOTS, 'batch-succeeded.png'), fullPage: true });

    await page.getByRole('navigation', { name: '工作台菜单' }).getByRole('link', { name: '信用记录' }).click();
    await page.getByTestId('records').waitFor();
    await page.getByLabel('主体').fill('号测试建材');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByTestId('records-status').getByText('已显示 3 条记录').waitFor();
    for (const name of names) {
      await page.getByTestId('record-row').filter({ hasText: name }).waitFor();
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'records-list.png'), fullPage: true });
  }));

test('a provider enters a record checked as typed, corrects it and revokes it', { timeout: STEP_TIMEOUT }, () =>
  step('record-entry', async () => {
    await page.getByRole('navigation', { name: '工作台菜单' }).getByRole('link', { name: '新增记录' }).click();
    await page.getByTestId('new-record').waitFor();
    await page.getByLabel('目录项').selectOption('ADM_PENALTY');
    const { good, bad } = freshCode(3);
    const code = page.getByRole('textbox', { name: '统一社会信用代码 (必填)' });
    await code.fill(bad);
    // Checked as typed, before anything is sent.
    await page.getByTestId('error-subject.code').getByText('校验位不正确').waitFor();
    // A valid code, but registered under another name: only the server knows, and says so beside the name.
    await code.fill(showcaseCode.toLowerCase());
    await page.getByTestId('error-subject.code').getByText('校验位不正确').waitFor({ state: 'detached' });
    await page.getByLabel('主体名称').fill('九江市丁号测试建材有限公司');
    await page.getByLabel('决定日期').fill(daysAgo(5));
    await page.getByLabel('罚款金额(元)').fill('5,000');
    await page.getByTestId('error-values.fine_amount').getByText('金额应为不带单位的数字').waitFor();
    await page.getByLabel('罚款金额(元)').fill('5000');
    // Submitting with required fields empty names them all and focuses the first.
    await page.getByRole('button', { name: '提交记录' }).click();
    await page.getByTestId('error-values.penalty_doc_no').getByText('请填写行政处罚决定书文号').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'record-form-errors.png'), fullPage: true });
    await page.getByLabel('行政处罚决定书文号').fill('九市监罚〔2026〕E2E4号');
    await page.getByLabel('违法行为类型').fill('销售不合格产品');
    await page.getByLabel('违法事实').fill('抽样检验不合格');
    await page.getByLabel('处罚依据').fill('《中华人民共和国产品质量法》第四十九条');
    await page.getByLabel('处罚类别').selectOption('罚款');
    await page.getByLabel('处罚内容').fill('罚款人民币5000元');
    await page.getByRole('textbox', { name: '决定机关 (必填)', exact: true }).fill('九江市市场监督管理局');
    await page.getByRole('button', { name: '提交记录' }).click();
    await page.getByTestId('error-subject.name').getByText('该代码已登记的主体名称与所填不一致').waitFor();
    // The registered name is not echoed back: a code must not reveal whose it is.
    assert.ok(!(await page.getByTestId('error-subject.name').innerText()).includes(SHOWCASE));
    await page.screenshot({ path: join(SCREENSHOTS, 'record-form-server-error.png'), fullPage: true });
    await code.fill(good);
    await page.getByRole('button', { name: '提交记录' }).click();

    await page.getByTestId('record-notice').getByText('记录已提交').waitFor();
    await page.getByTestId('record-fields').getByText('5000', { exact: true }).waitFor();

    await page.getByRole('button', { name: '更正记录' }).click();
    await page.getByTestId('amend-form').getByLabel('罚款金额(元)').fill('4000.00');
    await page.getByRole('button', { name: '保存更正' }).click();
    await page.getByTestId('error-reason').getByText('请说明修改原因').waitFor();
    await page.getByLabel('更正原因').fill('罚款金额录入有误');
    await page.getByRole('button', { name: '保存更正' }).click();
    await page.getByTestId('record-notice').getByText('保存为第 2 版').waitFor();
    const versions = page.getByTestId('version');
    await versions.nth(1).waitFor();
    assert.equal(await versions.count(), 2);
    assert.match(await versions.first().innerText(), /罚款金额录入有误/);
    await page.screenshot({ path: join(SCREENSHOTS, 'record-amended.png'), fullPage: true });

    await page.getByRole('button', { name: '撤销记录' }).click();
    const dialog = page.getByTestId('revoke-dialog');
    await dialog.getByLabel('撤销原因').fill('重复录入');
    await dialog.getByRole('button', { name: '确认撤销' }).click();
    await page.getByTestId('record-notice').getByText('记录已撤销').waitFor();
    await page.getByTestId('record').getByTestId('status-badge').getByText('已撤销').waitFor();
    assert.equal(await page.getByRole('button', { name: '更正记录' }).count(), 0);
    await signOut();
  }));

test('the competent office sees the statistics and cannot define a prohibited field', { timeout: STEP_TIMEOUT }, () =>
  step('catalog-editor', async () => {
    await signIn('demo.city.admin');
    await page.getByTestId('chart-catalog').locator('svg').waitFor();
    await page.getByTestId('chart-month').locator('svg').waitFor();
    await page.getByTestId('provider-table').getByText('九江市市场监督管理局').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

    await page.getByRole('navigation', { name: '工作台功能' }).getByRole('link', { name: /资源目录/ }).click();
    await page.getByTestId('catalog-row').filter({ hasText: 'ADM_PENALTY' }).getByRole('link').click();
    await page.getByTestId('catalog-editor').waitFor();
    await page.getByRole('button', { name: '添加字段' }).click();
    const added = page.getByTestId('field-row').last();
    await added.getByLabel('字段名').fill('blood_type');
    await added.getByLabel('标签').fill('血型');
    const error = added.getByTestId('error-key');
    await error.getByText('禁止采集的个人信息').waitFor();
    assert.match(await error.innerText(), /血型/);
    // The error stands beside the key's input, which is marked invalid and points at it.
    const key = added.getByLabel('字段名');
    assert.equal(await key.getAttribute('aria-invalid'), 'true');
    assert.ok((await key.getAttribute('aria-describedby')).includes(await error.getAttribute('id')));
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-prohibited.png'), fullPage: true });

    // Saving is refused before anything is sent; removing the field clears the error.
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByTestId('catalog-error').getByText('需要更正').waitFor();
    await added.getByRole('button', { name: /删除/ }).click();
    await page.getByText('禁止采集的个人信息(血型)').waitFor({ state: 'detached' });
    await signOut();
  }));

// Last of the portal's steps: it spends this address's portal allowance for the minute.
test('a visitor who queries too often is asked to wait', { timeout: STEP_TIMEOUT }, () =>
  step('portal-rate-limit', async () => {
    for (let i = 0; i < 200; i++) {
      const response = await fetch(`${server.base}/api/v1/portal/subjects?q=${encodeURIComponent('九江')}`);
      if (response.status === 429) break;
    }
    await page.goto(server.base + '/search?q=' + encodeURIComponent('长江建材'));
    await page.getByTestId('search-error').getByText('查询过于频繁,请稍后再试').waitFor();
  }));

test('no page logged an error but the refusals this test provoked', () => {
  const unexpected = errors.filter((e) => !/status of (404|422|429)/.test(e));
  assert.deepEqual(unexpected, []);
  assert.deepEqual(broken, [], 'server errors');
});
