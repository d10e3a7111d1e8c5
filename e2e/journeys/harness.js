// Starts the real built server on a free port with a fresh data directory, and a headless Debian Chromium;
// plus the helpers the journeys share (admin API client, sign-in/out, a page that records dialogs and console errors).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const screenshotDir = join(repoRoot, 'e2e', 'screenshots');

/** The first administrator every journey's server creates on its first start. */
export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'E2e-admin-passw0rd!';

/**
 * The built server (first administrator: ADMIN_EMAIL / ADMIN_PASSWORD, plus `env`) and Chromium for one journey
 * file: started before its tests, stopped after them. Tests read `suite.server` and `suite.browser`.
 */
export function journeySuite(env = {}) {
  const suite = {
    server: undefined,
    browser: undefined,
    /** An API client with the administrator's session. */
    adminApi: () => apiClient(suite.server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD),
    /** Signs a person ({ email, password }) in on the web app and waits for the home page. */
    async signIn(page, person) {
      await page.goto(`${suite.server.baseUrl}/sign-in`);
      await submitSignIn(page, person.email, person.password);
      await page.locator('[data-test="home-title"]').waitFor();
    },
    /** Opens a designer page (`/designer/...`), signing the administrator in first when nobody is. */
    async openDesigner(page, path) {
      const url = `${suite.server.baseUrl}/designer${path}`;
      await page.goto(url);
      await page.getByLabel('Email').or(page.locator('[data-test="user-menu"]')).first().waitFor();
      if (!page.url().includes('/sign-in')) return;
      await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
      await page.waitForURL((current) => !current.pathname.includes('/sign-in'));
      await page.goto(url);
    },
  };
  before(async () => {
    suite.server = await startServer({ OPSFLOW_ADMIN_EMAIL: ADMIN_EMAIL, OPSFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env });
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(env) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-e2e-data-'));
  const child = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok && (await res.json()).status === 'ok') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseUrl,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'opsflow-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Numbered full-page screenshots; a prefix keeps each journey's files apart. */
export function screenshotter(page, prefix = '') {
  mkdirSync(screenshotDir, { recursive: true });
  let step = 0;
  return async (name) => {
    step += 1;
    // let Vuetify's menu and dialog transitions finish
    await page.waitForTimeout(450);
    await page.screenshot({ path: join(screenshotDir, `${prefix}${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
}

/** A label straight from the Big List of Naughty Strings: it must show as text and never run. */
export function naughtyString() {
  const blns = JSON.parse(readFileSync(join(repoRoot, '..', 'shared', 'corpora', 'naughty-strings', 'blns.json'), 'utf8'));
  return blns.find((s) => s === '<img src=x onerror=alert(123) />') ?? blns.find((s) => s.includes('<script>'));
}

/** A tiny API client with a session cookie: `api(method, path, body)` asserts success and returns the JSON (or the text). */
export async function apiClient(baseUrl, email, password) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Cookie: cookie, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path} → ${res.status} ${text}`);
    // JSON answers parsed; anything else (a downloaded file) as text
    if (!text) return undefined;
    return res.headers.get('content-type')?.includes('application/json') ? JSON.parse(text) : text;
  };
}

/** Fills and submits the sign-in form the page is on. */
export async function submitSignIn(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page) {
  await page.locator('[data-test="user-menu"]').click();
  await page.locator('[data-test="sign-out"]').click();
  await page.waitForURL(/\/sign-in/);
}

// JSON Forms numbers an id that is still taken while a form is re-created (`#/properties/title2-input`)
export const field = (scope, path) => scope.locator(`[id^="#/properties/${path}"][id$="-input"]`).first();

/**
 * A new page that dismisses and records browser dialogs (`dialogs`) and collects console errors;
 * `run(steps)` saves `<prefix>failure.png` and adds the console errors to the message when the steps fail.
 */
export async function journeyPage(context, prefix) {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const dialogs = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return {
    page,
    dialogs,
    /** what the browser console reported as errors so far */
    consoleErrors,
    async run(steps) {
      try {
        await steps();
      } catch (error) {
        await page.screenshot({ path: join(screenshotDir, `${prefix}failure.png`), fullPage: true });
        throw new Error(`${error.message}\nbrowser console errors:\n${consoleErrors.join('\n')}`, { cause: error });
      }
    },
  };
}
