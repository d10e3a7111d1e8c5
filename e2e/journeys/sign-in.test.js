// Journey: an admin signs in to the web app, switches language, signs out, then administers users
// and API keys in the designer, against the real built server in a real Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, journeySuite, screenshotter, submitSignIn } from './harness.js';


const suite = journeySuite({ OPSFLOW_SIGNUP: 'open' });

const signIn = (page) => submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);

test('sign in to web and designer, switch language, create a user and an API key', async () => {
  const page = await suite.browser.context.newPage();
  page.setDefaultTimeout(15_000);
  const shot = screenshotter(page);
  const me = await (async () => {
    // who the server says the admin is, to check the shell against
    const res = await fetch(`${suite.server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json();
  })();

  // Web app: sign in.
  await page.goto(`${suite.server.baseUrl}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await shot('web-sign-in');
  await signIn(page);
  await page.locator('[data-test="home-title"]').waitFor();
  await page.getByText('No apps yet — an admin builds them in the designer').waitFor();
  assert.equal((await page.locator('[data-test="user-name"]').textContent()).trim(), me.user.name);
  assert.equal((await page.locator('[data-test="drawer-tenant"] .v-list-item-title').textContent()).trim(), me.tenant.name);
  await shot('web-home');
  await page.locator('[data-test="nav-nav.profile"]').click();
  await page.getByRole('heading', { name: 'Profile' }).waitFor();
  await shot('web-profile');
  await page.locator('[data-test="nav-nav.home"]').click();

  // Switch to Chinese: labels change, and the choice sticks after a reload (saved in the profile).
  await page.locator('[data-test="language-menu"]').click();
  await page.locator('[data-test="locale-zh-CN"]').click();
  await page.getByText('暂无应用——管理员会在设计器中搭建应用').waitFor();
  await page.getByRole('link', { name: '个人资料' }).waitFor();
  await shot('web-home-zh');
  await page.reload();
  await page.getByRole('link', { name: '首页' }).waitFor();
  const saved = await page.evaluate(() => fetch('/api/auth/me').then((r) => r.json()));
  assert.equal(saved.user.locale, 'zh-CN');

  // Back to English, then sign out.
  await page.locator('[data-test="language-menu"]').click();
  await page.locator('[data-test="locale-en"]').click();
  await page.getByRole('link', { name: 'Profile' }).waitFor();
  await page.locator('[data-test="user-menu"]').click();
  await page.locator('[data-test="tenant-name"]').getByText(me.tenant.name).waitFor();
  await shot('web-user-menu');
  await page.locator('[data-test="sign-out"]').click();
  await page.waitForURL(/\/sign-in/);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await shot('web-signed-out');
  await page.locator('[data-test="sign-up-link"]').click();
  await page.getByText('Create your organisation').waitFor();
  await shot('web-sign-up');

  // Designer: sign in, create a user.
  await page.goto(`${suite.server.baseUrl}/designer/`);
  await page.waitForURL(/\/designer\/sign-in/);
  await signIn(page);
  await page.waitForURL(/\/designer\/users/);
  await page.locator('[data-test="users-table"]').getByText(ADMIN_EMAIL).waitFor();
  await shot('designer-users');

  await page.locator('[data-test="new-user"]').click();
  const userDialog = page.locator('[data-test="user-dialog"]');
  await userDialog.getByLabel('Email').fill('grace@example.com');
  await userDialog.getByLabel('Name', { exact: true }).fill('Grace Hopper');
  await shot('designer-new-user');
  await userDialog.locator('[data-test="save-user"]').click();
  // No password given: the answer carries an invitation link, shown once.
  const invite = userDialog.locator('[data-test="invite-url"] input');
  await invite.waitFor();
  const inviteUrl = new URL(await invite.inputValue());
  assert.equal(inviteUrl.pathname, '/accept-invite');
  await shot('designer-user-invited');
  await userDialog.locator('[data-test="invite-done"]').click();
  await page.locator('[data-test="users-table"]').getByText('grace@example.com').waitFor();
  await shot('designer-users-after-create');

  // API key: create, see it once.
  await page.locator('[data-test="nav-nav.apiKeys"]').click();
  await page.waitForURL(/\/designer\/api-keys/);
  await page.getByText('No API keys yet').waitFor();
  await shot('designer-api-keys-empty');
  await page.locator('[data-test="new-key"]').click();
  const keyDialog = page.locator('[data-test="api-key-dialog"]');
  await keyDialog.getByLabel('Name').fill('CI pipeline');
  await keyDialog.locator('[data-test="scope-write"] input').check();
  await shot('designer-new-key');
  await keyDialog.locator('[data-test="create-key"]').click();
  const secretInput = keyDialog.locator('[data-test="api-key-secret"] input');
  await secretInput.waitFor();
  const secret = await secretInput.inputValue();
  assert.ok(secret.length > 20, `unexpected key ${secret}`);
  await keyDialog.getByText('It will not be shown again').waitFor();
  await shot('designer-key-shown-once');
  await keyDialog.locator('[data-test="key-done"]').click();
  await page.locator('[data-test="keys-table"]').getByText('CI pipeline').waitFor();
  await page.locator('[data-test="api-key-secret"]').waitFor({ state: 'detached' });
  assert.equal(await page.getByText(secret).count(), 0, 'the key must not be shown again');
  assert.equal(await page.locator(`input[value="${secret}"]`).count(), 0);
  await shot('designer-api-keys');

  // The key works against the API.
  const viaKey = await fetch(`${suite.server.baseUrl}/api/auth/me`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal(viaKey.status, 200);

  // Organisation: a department with a sub-department.
  await page.locator('[data-test="nav-nav.organisation"]').click();
  await page.locator('[data-test="new-department"]').click();
  const depDialog = page.locator('[data-test="department-dialog"]');
  await depDialog.getByLabel('Name').fill('Engineering');
  await depDialog.getByRole('button', { name: 'Create' }).click();
  await page.locator('[data-test="departments"]').getByText('Engineering').waitFor();
  await page.locator('[data-test="departments"] .v-list-item', { hasText: 'Engineering' }).getByRole('button', { name: 'Add a sub-department' }).click();
  await depDialog.getByLabel('Name').fill('Platform');
  await depDialog.getByRole('button', { name: 'Create' }).click();
  await page.locator('[data-test="departments"]').getByText('Platform').waitFor();
  await shot('designer-organisation');

  // CSV import: a bad row is reported per row, a good file creates the users.
  await page.locator('[data-test="nav-nav.users"]').click();
  await page.locator('[data-test="import-users"]').click();
  const importDialog = page.locator('[data-test="import-dialog"]');
  await importDialog.locator('[data-test="import-csv"] textarea').fill(
    'email,name,roles,department,manager,password\nnot-an-email,Bad Row,member,,,\nlin@example.com,Lin Wei,member|designer,Engineering/Platform,admin@example.com,Lin-passw0rd!',
  );
  await importDialog.locator('[data-test="import-submit"]').click();
  await importDialog.locator('[data-test="import-errors"]').getByRole('cell', { name: 'email', exact: true }).waitFor();
  await importDialog.getByText('Some rows have errors; nothing was imported').waitFor();
  await shot('designer-import-errors');
  await importDialog.locator('[data-test="import-csv"] textarea').fill(
    'email,name,roles,department,manager,password\nlin@example.com,Lin Wei,member|designer,Engineering/Platform,admin@example.com,Lin-passw0rd!',
  );
  await importDialog.locator('[data-test="import-submit"]').click();
  await importDialog.locator('[data-test="import-success"]').getByText('One user created').waitFor();
  await shot('designer-import-done');
  await importDialog.getByRole('button', { name: 'Close' }).click();
  await page.locator('[data-test="users-table"]').getByText('lin@example.com').waitFor();

  // Edit: deactivate Lin; the default list shows active users only.
  await page.locator('[data-test="users-table"] tr', { hasText: 'lin@example.com' }).getByRole('button', { name: 'Edit' }).click();
  const editDialog = page.locator('[data-test="user-dialog"]');
  await editDialog.getByText('Edit user').waitFor();
  await editDialog.locator('[data-test="active-switch"] input').uncheck();
  await shot('designer-edit-user');
  await editDialog.locator('[data-test="save-user"]').click();
  await page.locator('[data-test="users-table"]').getByText('lin@example.com').waitFor({ state: 'detached' });

  // Groups: one with a member.
  await page.locator('[data-test="nav-nav.organisation"]').click();
  await page.locator('[data-test="new-group"]').click();
  const groupDialog = page.locator('[data-test="group-dialog"]');
  await groupDialog.getByLabel('Name').fill('Finance reviewers');
  await groupDialog.getByLabel('Members').click();
  await page.locator('.v-overlay--active .v-list-item', { hasText: 'grace@example.com' }).click();
  await page.keyboard.press('Escape');
  await groupDialog.getByRole('button', { name: 'Create' }).click();
  await page.locator('[data-test="groups"]').getByText('Finance reviewers').waitFor();
  await page.locator('[data-test="groups"]').getByText('1 member').waitFor();
  await shot('designer-groups');

  // The audit log recorded it.
  await page.locator('[data-test="nav-nav.audit"]').click();
  await page.locator('[data-test="audit-table"]').getByText('api_key.created').first().waitFor();
  await shot('designer-audit');

  // The designer in Chinese.
  await page.locator('[data-test="language-menu"]').click();
  await page.locator('[data-test="locale-zh-CN"]').click();
  await page.getByRole('heading', { name: '审计日志' }).waitFor();
  await shot('designer-audit-zh');
  await page.locator('[data-test="nav-nav.users"]').click();
  await page.getByRole('button', { name: '新建用户' }).waitFor();
  await shot('designer-users-zh');
  await page.locator('[data-test="nav-nav.organisation"]').click();
  await page.getByText('部门负责人').or(page.getByText('新建部门')).first().waitFor();
  await shot('designer-organisation-zh');

  // Grace accepts her invitation: she is signed in to the web app, and as a member the designer tells her it needs an admin.
  await page.goto(`${suite.server.baseUrl}${inviteUrl.pathname}${inviteUrl.search}`);
  await page.locator('input[name="password"]').fill('Grace-passw0rd!');
  await page.locator('input[name="confirm"]').fill('Grace-passw0rd!');
  await shot('web-accept-invite');
  await page.locator('form button[type="submit"]').click();
  await page.locator('[data-test="home-title"]').getByText('Grace Hopper').waitFor();
  await shot('web-home-invited-user');
  await page.goto(`${suite.server.baseUrl}/designer/users`);
  await page.locator('[data-test="admin-required"]').waitFor();
  await shot('designer-admin-required');

  await page.close();
});
