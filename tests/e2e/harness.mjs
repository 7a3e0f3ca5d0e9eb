// Starts the real credit-api server (fresh SQLite database, the built web app) and Debian's Chromium.
import { after } from 'node:test';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = join(ROOT, 'target/e2e');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// No network beyond loopback here: keep Chromium from phoning home.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/** The password of every demo account (`credit-api seed-demo`). */
export const DEMO_PASSWORD = 'Demo-Jiujiang-2026';

/**
 * Starts the server on a fresh SQLite database and waits (bounded) until /readyz answers 200.
 * With `admin`, first creates the first administrator as an operator would (`credit-api create-admin`) and
 * returns the one-time password it printed.
 * With `demo`, first fills the database with `credit-api seed-demo --records <records>` (organisations, the demo
 * accounts, records including the showcase subjects) and serves it with `--demo`, where the demo accounts sign in
 * with DEMO_PASSWORD without changing it.
 */
export async function startServer({ admin, demo = false, records = 200 } = {}) {
  const bin = process.env.CREDIT_API_BIN || join(ROOT, 'target/debug/credit-api');
  const dataDir = mkdtempSync(join(tmpdir(), 'credit-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, CREDIT_WEB_DIR: join(ROOT, 'web/dist'), CREDIT_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  let oneTimePassword;
  if (admin) {
    const printed = execFileSync(bin, [
      'create-admin', '--login-name', admin.loginName, '--full-name', admin.fullName,
      '--organisation', '九江市人民政府信息化办公室', '--uscc', '11360400MB1234567A',
    ], { env, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    oneTimePassword = printed.match(/one-time password[^:]*: (\S+)/)?.[1];
    if (!oneTimePassword) throw new Error(`create-admin printed no password:\n${printed}`);
  }
  if (demo) {
    execFileSync(bin, ['seed-demo', '--records', String(records)], {
      env, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  const serveArgs = ['serve', '--bind', `127.0.0.1:${port}`, ...(demo ? ['--demo'] : [])];
  const child = spawn(bin, serveArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  const exited = new Promise((ok) => child.once('exit', (code) => ok(code)));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`credit-api exited with ${child.exitCode}:\n${log}`);
    try {
      const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`credit-api was not ready within 30 s:\n${log}`);
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }

  return {
    base,
    oneTimePassword,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launches Chromium and opens a page that records console errors and uncaught exceptions. */
export async function openBrowser() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { browser, page, errors };
}

/**
 * One browser scenario on a demo server (`seed-demo --records <records>`) and Chromium: `start` (for the file's
 * `before` hook) starts both and answers the handles (`server`, `browser`, `page`, `errors`: console errors;
 * `broken`: answers with a 5xx status); a hook registered here stops both after the file's last test. Also the
 * helpers every scenario uses: `step`, `signIn`, `signOut`.
 */
export function demoScenario({ records = 200 } = {}) {
  const scenario = { broken: [] };
  /** Starts the server and the browser; the file's `before` hook awaits it and takes the handles it answers. */
  scenario.start = async () => {
    scenario.server = await startServer({ demo: true, records });
    Object.assign(scenario, await openBrowser());
    scenario.page.on('response', (response) => {
      if (response.status() >= 500) scenario.broken.push(`${response.status()} ${response.url()}`);
    });
    return scenario;
  };

  after(async () => {
    const within = (promise, ms) => Promise.race([promise, new Promise((ok) => setTimeout(ok, ms).unref())]);
    try {
      await within(scenario.browser?.close(), 15_000);
    } finally {
      await scenario.server?.stop();
    }
  }, { timeout: 30_000 });

  /** Runs one step; when it fails, keeps a screenshot of the page and the server's recent log in the error. */
  scenario.step = async (name, body) => {
    const { page, server } = scenario;
    const shot = join(SCREENSHOTS, `failed-${name}.png`);
    rmSync(shot, { force: true });
    try {
      await body();
    } catch (error) {
      await page?.screenshot({ path: shot, fullPage: true, timeout: 5_000 }).catch(() => {});
      const log = (server?.log() ?? '').replace(/\x1b\[[0-9;]*m/g, '').slice(-4_000);
      error.message += `\n  page: ${page?.url()}\n  screenshot: ${shot}\n  server log (last lines):\n${log}`;
      throw error;
    }
  };

  scenario.signIn = async (login) => {
    const { page, server } = scenario;
    await page.goto(server.base + '/login');
    await page.getByLabel('登录名').fill(login);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('workbench').waitFor();
  };

  scenario.signOut = async () => {
    const { page } = scenario;
    await page.getByTestId('account-menu').getByRole('button', { name: '退出登录' }).click();
    await page.getByTestId('login').waitFor();
  };

  return scenario;
}
