/**
 * Two-factor sign-in in the web app, in real Chromium: an administrator (whose role requires it)
 * is taken through setting it up before anything else, saves the recovery codes, then signs in
 * with a code next time; a coordinator sets it up voluntarily on "My account". Screens run without
 * console errors or CSP violations; screenshots go to test-output/.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../src/services/totp-codes.js';
import { launchBrowser, openPage, saveScreenshot, type TestPage } from './support/browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ApiClient, startTestServer, type TestServer } from './support/server.js';

const visible = (locator: Locator): Promise<void> => locator.waitFor({ state: 'visible', timeout: 10_000 });
const h1 = (page: Page, name: string): Locator => page.getByRole('heading', { level: 1, name, exact: true });

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail address', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('two-factor sign-in in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const opened: TestPage[] = [];
  const open = async (): Promise<TestPage> => {
    const p = await openPage(browser, { baseURL: server.url });
    p.page.setDefaultTimeout(10_000);
    opened.push(p);
    return p;
  };
  const secretOn = async (page: Page): Promise<string> =>
    ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');

  beforeAll(async () => {
    server = await startTestServer('sqlite', { totpRequiredRoles: ['admin'] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('takes an administrator through setting up two-factor sign-in first, then asks for a code', async () => {
    const { page, problems } = await open();
    await page.goto('/');
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(h1(page, 'Set up two-factor sign-in'));
    await visible(page.getByText('Your role requires two-factor sign-in.', { exact: false }));
    const link = page.getByRole('link', { name: 'Open in authenticator app' });
    await visible(link);
    expect(await link.getAttribute('href')).toMatch(/^otpauth:\/\/totp\/STEMJOINT:/);
    await visible(page.getByTestId('totp-secret'));
    const secret = await secretOn(page);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await saveScreenshot(page, 'security-enrol');

    // A wrong code is explained next to the field.
    const code = page.getByLabel('Code from the authenticator app');
    await code.fill('12345');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await visible(page.getByText('6 digits. A new code appears every 30 seconds.').last());
    await code.fill(totpCodeAt(secret, server.ctx.now()));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await visible(h1(page, 'Save your recovery codes'));
    expect(await page.locator('ol.recovery-codes li').count()).toBe(10);
    await saveScreenshot(page, 'security-recovery-codes');
    await page.getByRole('button', { name: 'I have saved the codes — continue' }).click();
    await visible(h1(page, 'Study overview'));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(h1(page, 'Sign in'));
    server.advanceClock(30_000);
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(h1(page, 'Two-factor sign-in'));
    await page
      .getByLabel('Code from the authenticator app')
      .fill('000000' === totpCodeAt(secret, server.ctx.now()) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await visible(page.getByText('Wrong code.', { exact: false }));
    await page.getByLabel('Code from the authenticator app').fill(totpCodeAt(secret, server.ctx.now()));
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await visible(h1(page, 'Study overview'));

    // My account shows that it is on and required.
    await page.getByRole('navigation').getByRole('link', { name: 'My account' }).click();
    await visible(h1(page, 'My account'));
    await visible(page.getByText('Your role requires two-factor sign-in.'));
    await visible(page.getByText('10 recovery codes left.'));
    expect(problems).toEqual([]);
  });

  it('lets a coordinator set it up on My account', async () => {
    const admin = new ApiClient(server.url);
    admin.cookie = null;
    // The admin now needs a code too: sign in through the API with the second step.
    const nurse = { email: 'nurse.web@test.local', password: 'nurse-web-password-7' };
    const db = server.ctx.database.db;
    const { createUser } = await import('../src/services/users.js');
    const { systemActor } = await import('../src/services/context.js');
    await createUser(server.ctx, systemActor('test'), {
      email: nurse.email,
      displayName: 'Nurse Web',
      password: nurse.password,
      grants: [{ role: 'coordinator', siteId: 'site-auh' }],
    });
    expect(await db.selectFrom('users').select('id').where('email', '=', nurse.email).executeTakeFirst()).toBeDefined();

    const { page, problems } = await open();
    await page.goto('/account');
    await signIn(page, nurse.email, nurse.password);
    await visible(h1(page, 'My account'));
    await visible(page.getByText('Off', { exact: true }));
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await visible(page.getByTestId('totp-secret'));
    const secret = await secretOn(page);
    await page.getByLabel('Code from the authenticator app').fill(totpCodeAt(secret, server.ctx.now()));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await visible(page.getByText('Two-factor sign-in is now on.'));
    expect(await page.locator('ol.recovery-codes li').count()).toBe(10);
    await saveScreenshot(page, 'security-account');
    await page.getByRole('button', { name: 'I have saved the codes — continue' }).click();
    await visible(page.getByText('10 recovery codes left.'));

    // The password policy speaks the user's language on this page too.
    await page.getByLabel('Current password', { exact: true }).fill(nurse.password);
    await page.getByLabel('New password', { exact: true }).fill('Password12345');
    await page.getByLabel('Repeat the new password').fill('Password12345');
    await page.getByRole('button', { name: 'Change password' }).click();
    await visible(page.getByText('This password is too common or too easy to guess.', { exact: false }));
    expect(problems).toEqual([]);
  });
});
