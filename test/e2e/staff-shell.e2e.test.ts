/**
 * The staff web app in real Chromium against a real server over a fresh SQLite database: sign-in
 * and its failure messages, the overview in both languages, user administration with one-time
 * passwords and the forced password change, keyboard-only use, session expiry, and the phone layout.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, PHONE_VIEWPORT, saveScreenshot, type TestPage } from '../support/browser.js';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';

const visible = (locator: Locator): Promise<void> => locator.waitFor({ state: 'visible', timeout: 10_000 });

async function signIn(
  page: Page,
  email: string,
  password: string,
  labels = { email: 'E-mail address', password: 'Password', submit: 'Sign in' },
): Promise<void> {
  await page.getByLabel(labels.email, { exact: true }).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
}

const h1 = (page: Page, name: string): Locator => page.getByRole('heading', { level: 1, name, exact: true });

const focusedTag = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.tagName ?? '');

/** The ids an element's aria-describedby points at, and whether each exists. */
async function describedByTexts(locator: Locator): Promise<string[]> {
  return locator.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter((id) => id !== '')
      .map((id) => document.getElementById(id)?.textContent ?? `<missing #${id}>`),
  );
}

describe('staff web app in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const opened: TestPage[] = [];

  async function open(
    opts: { viewport?: { width: number; height: number }; mobile?: boolean; locale?: string } = {},
  ): Promise<TestPage> {
    const p = await openPage(browser, { baseURL: server.url, ...opts });
    p.page.setDefaultTimeout(10_000);
    opened.push(p);
    return p;
  }

  beforeAll(async () => {
    server = await startTestServer('sqlite', { lockoutThreshold: 3 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('(a) the admin signs in, sees the study overview, switches to Danish and signs out', async () => {
    const { page, problems } = await open();
    await page.goto('/');
    await visible(h1(page, 'Sign in'));
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(h1(page, 'Study overview'));
    // Focus moves to the new page's heading so screen readers announce it.
    expect(await focusedTag(page)).toBe('H1');
    const main = page.locator('main');
    await visible(main.getByText('NCT05933434'));
    await visible(main.getByText('STEMJOINT', { exact: true }));
    await visible(main.getByText('80 participants'));
    await visible(main.getByText('Aarhus University Hospital'));
    await visible(main.getByText('Open for data entry'));
    await visible(main.getByText('Administrator · All sites'));
    await visible(page.getByRole('navigation').getByRole('link', { name: 'Users' }));
    expect(await page.title()).toBe('Study overview · STEMJOINT');
    await saveScreenshot(page, 'overview-desktop-en');

    await page.getByRole('button', { name: 'Dansk' }).click();
    await visible(h1(page, 'Studieoversigt'));
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    await visible(main.getByText('80 deltagere'));
    await visible(main.getByText('Åben for dataindtastning'));
    await visible(page.getByRole('navigation').getByRole('link', { name: 'Brugere' }));
    expect(await page.getByRole('button', { name: 'Dansk' }).getAttribute('aria-pressed')).toBe('true');
    await saveScreenshot(page, 'overview-desktop-da');

    // The choice survives a reload (localStorage), and so does the session (cookie).
    await page.reload();
    await visible(h1(page, 'Studieoversigt'));

    await page.getByRole('button', { name: 'Log ud' }).click();
    await visible(h1(page, 'Log ind'));
    await visible(page.getByText('Du er logget ud.'));
    // Signed out for real: a reload shows the sign-in page again.
    await page.reload();
    await visible(h1(page, 'Log ind'));
    expect(problems).toEqual([]);
  });

  it('(b) a wrong password shows the error message; empty fields are explained next to the inputs', async () => {
    const { page, problems } = await open();
    await page.goto('/');
    await visible(h1(page, 'Sign in'));

    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const email = page.getByLabel('E-mail address', { exact: true });
    await visible(page.getByText('Fill in this field.').first());
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await describedByTexts(email)).toEqual(['Fill in this field.']);
    expect(await focusedTag(page)).toBe('INPUT');

    await signIn(page, ADMIN_EMAIL, 'not-the-password');
    const alert = page.getByRole('alert');
    await visible(alert);
    expect(await alert.textContent()).toBe('Wrong e-mail address or password.');
    await visible(h1(page, 'Sign in'));
    // The password field is cleared for the retry; the address is kept.
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await email.inputValue()).toBe(ADMIN_EMAIL);

    // The same message in Danish.
    await page.getByRole('button', { name: 'Dansk' }).click();
    await signIn(page, ADMIN_EMAIL, 'not-the-password', {
      email: 'E-mailadresse',
      password: 'Adgangskode',
      submit: 'Log ind',
    });
    await page.getByRole('alert').getByText('Forkert e-mailadresse eller adgangskode.').waitFor();
    expect(problems).toEqual([]);
  });

  it('(b) locked and disabled accounts get their own messages', async () => {
    const admin = new ApiClient(server.url);
    expect((await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    const password = 'locked-user-password-1';
    const locked = await admin.post<{ user: { id: string } }>('/api/v1/users', {
      email: 'locked@test.local',
      displayName: 'Lena Locked',
      password,
      grants: [{ role: 'monitor', siteId: null }],
    });
    expect(locked.status).toBe(201);
    const disabled = await admin.post<{ user: { id: string } }>('/api/v1/users', {
      email: 'disabled@test.local',
      displayName: 'Dan Disabled',
      password,
      grants: [{ role: 'monitor', siteId: null }],
    });
    expect(
      (await admin.post(`/api/v1/users/${disabled.body.user.id}/disable`, { reason: 'left the study' })).status,
    ).toBe(200);

    const { page, problems } = await open();
    await page.goto('/');
    for (let i = 0; i < 3; i++) {
      await signIn(page, 'locked@test.local', 'wrong-password-xyz');
      await page.getByRole('alert').waitFor();
    }
    await signIn(page, 'locked@test.local', password);
    await page.getByRole('alert').getByText('This account is temporarily locked', { exact: false }).waitFor();

    await signIn(page, 'disabled@test.local', password);
    await page
      .getByRole('alert')
      .getByText('This account has been disabled. Contact the study administrator.')
      .waitFor();
    expect(problems).toEqual([]);
  });

  it('(c) the admin creates a user who signs in with the one-time password, must change it, then reaches the overview', async () => {
    const admin = await open();
    await admin.page.goto('/');
    await signIn(admin.page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(h1(admin.page, 'Study overview'));
    await admin.page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await visible(h1(admin.page, 'Users'));
    expect(new URL(admin.page.url()).pathname).toBe('/users');
    expect(await focusedTag(admin.page)).toBe('H1');
    await visible(admin.page.getByRole('row', { name: /Study administrator/ }));

    await admin.page.getByRole('button', { name: 'New user' }).click();
    const dialog = admin.page.getByRole('dialog', { name: 'New user' });
    await visible(dialog);
    // Submitting without roles explains what is missing.
    await dialog.getByLabel('Full name').fill('Karen Jensen');
    await dialog.getByLabel('E-mail address').fill('karen.jensen@test.local');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await visible(dialog.getByText('Choose at least one role.'));

    await dialog.getByLabel('Role 1', { exact: true }).selectOption('investigator');
    await dialog.getByLabel('Site for role 1').selectOption('site-auh');
    await saveScreenshot(admin.page, 'users-create-dialog');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await visible(dialog.getByText('The account for Karen Jensen has been created.'));
    const oneTimePassword = ((await dialog.locator('.otp__value').textContent()) ?? '').trim();
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(12);
    await saveScreenshot(admin.page, 'users-one-time-password');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = admin.page.getByRole('row', { name: /Karen Jensen/ });
    await visible(row);
    await visible(row.getByText('Investigator · AUH'));
    await visible(row.getByText('Active'));
    await saveScreenshot(admin.page, 'users-desktop');

    // The new user, in a separate browser session.
    const karen = await open();
    await karen.page.goto('/');
    await signIn(karen.page, 'karen.jensen@test.local', oneTimePassword);
    await visible(h1(karen.page, 'Choose a new password'));
    expect(await focusedTag(karen.page)).toBe('H1');
    // The API refuses everything else until the password is changed, and so does the page.
    await karen.page.goto('/users');
    await visible(h1(karen.page, 'Choose a new password'));
    await karen.page.goto('/');
    await visible(h1(karen.page, 'Choose a new password'));

    await karen.page.getByLabel('Current password (the one-time password)').fill(oneTimePassword);
    await karen.page.getByLabel('New password', { exact: true }).fill('short');
    await karen.page.getByLabel('Repeat the new password').fill('something else');
    await karen.page.getByRole('button', { name: 'Change password' }).click();
    const confirm = karen.page.getByLabel('Repeat the new password');
    await visible(karen.page.getByText('The two passwords are not the same.'));
    expect(await describedByTexts(confirm)).toEqual(['The two passwords are not the same.']);

    // The server's field details (password policy) appear next to the right input, translated.
    await confirm.fill('short');
    await karen.page.getByRole('button', { name: 'Change password' }).click();
    await visible(karen.page.getByText('Use at least 12 characters.'));
    const newPassword = karen.page.getByLabel('New password', { exact: true });
    expect(await newPassword.getAttribute('aria-invalid')).toBe('true');
    expect(await describedByTexts(newPassword)).toContain('Use at least 12 characters.');

    await newPassword.fill('knee cartilage 2026');
    await confirm.fill('knee cartilage 2026');
    await karen.page.getByRole('button', { name: 'Change password' }).click();
    await visible(h1(karen.page, 'Study overview'));
    await visible(karen.page.locator('main').getByText('Investigator · AUH'));
    // An investigator has no user administration: no Users link, and the page says no access.
    const links = await karen.page.getByRole('navigation').getByRole('link').allTextContents();
    expect(links).toContain('Study overview');
    expect(links).not.toContain('Users');
    await karen.page.goto('/users');
    await visible(h1(karen.page, 'No access'));
    expect(admin.problems).toEqual([]);
    expect(karen.problems).toEqual([]);
  });

  it('the admin changes roles, resets a password, and disables and re-enables an account, each with a reason', async () => {
    const admin = await open();
    await admin.page.goto('/users');
    await signIn(admin.page, ADMIN_EMAIL, ADMIN_PASSWORD);
    // Signing in on a deep link stays on that page.
    await visible(h1(admin.page, 'Users'));
    const row = admin.page.getByRole('row', { name: /Karen Jensen/ });
    await visible(row);

    await row.getByRole('button', { name: 'Change roles' }).click();
    let dialog = admin.page.getByRole('dialog', { name: 'Change roles for Karen Jensen' });
    await visible(dialog);
    await dialog.getByRole('button', { name: 'Add a role' }).click();
    await dialog.getByLabel('Role 2', { exact: true }).selectOption('coordinator');
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await visible(dialog.getByText('Fill in this field.'));
    await dialog.getByLabel('Reason').fill('Also coordinates visits at AUH');
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(admin.page.getByRole('status').getByText('The roles of Karen Jensen have been changed.'));
    await visible(row.getByText('Study nurse / coordinator · All sites'));

    await row.getByRole('button', { name: 'Reset password' }).click();
    dialog = admin.page.getByRole('dialog', { name: 'Reset password for Karen Jensen' });
    await dialog.getByRole('button', { name: 'Reset password' }).click();
    await visible(dialog.getByText('The password for Karen Jensen has been reset.'));
    const otp = ((await dialog.locator('.otp__value').textContent()) ?? '').trim();
    expect(otp.length).toBeGreaterThanOrEqual(12);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await row.getByRole('button', { name: 'Disable' }).click();
    dialog = admin.page.getByRole('dialog', { name: 'Disable Karen Jensen' });
    await dialog.getByLabel('Reason').fill('On leave');
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await visible(admin.page.getByRole('status').getByText('Karen Jensen has been disabled.'));
    await visible(row.getByText('Disabled', { exact: true }));

    await row.getByRole('button', { name: 'Enable' }).click();
    dialog = admin.page.getByRole('dialog', { name: 'Enable Karen Jensen' });
    await dialog.getByLabel('Reason').fill('Back from leave');
    await dialog.getByRole('button', { name: 'Enable' }).click();
    await visible(admin.page.getByRole('status').getByText('Karen Jensen has been enabled again.'));
    await visible(row.getByText('Active', { exact: true }));
    expect(admin.problems).toEqual([]);
  });

  it('is usable with the keyboard alone', async () => {
    const { page, problems } = await open();
    await page.goto('/');
    await visible(h1(page, 'Sign in'));
    // Tab order: skip link, Dansk, English, e-mail, password, sign-in button.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('signin-email');
    await page.keyboard.type(ADMIN_EMAIL);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await visible(h1(page, 'Study overview'));

    // The navigation comes before <main>: from the heading, Shift+Tab reaches it; Enter opens "Users".
    let reached = false;
    for (let i = 0; i < 10 && !reached; i++) {
      await page.keyboard.press('Shift+Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Users');
    }
    expect(reached).toBe(true);
    // The focused element is visibly outlined.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).toBe('solid');
    await saveScreenshot(page, 'keyboard-focus-nav');
    await page.keyboard.press('Enter');
    await visible(h1(page, 'Users'));
    expect(await focusedTag(page)).toBe('H1');

    // A dialog opens with focus inside and closes with Escape, returning focus to its opener.
    await page.getByRole('button', { name: 'New user' }).focus();
    await page.keyboard.press('Enter');
    await visible(page.getByRole('dialog', { name: 'New user' }));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-user-name');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('New user');
    expect(problems).toEqual([]);
  });

  it('(d) works on a 360×740 phone: no horizontal scroll, large touch targets, menu navigation', async () => {
    const { page, problems } = await open({ viewport: PHONE_VIEWPORT, mobile: true });
    const noHorizontalScroll = async (): Promise<void> => {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    };
    /** Every visible button, link and input on the page is at least 44 px tall. */
    const smallTargets = (): Promise<string[]> =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('button, a, input, select, textarea')]
          .filter((el) => el.offsetParent !== null && !el.classList.contains('skip-link'))
          .filter((el) => el.getBoundingClientRect().height < 44)
          .map((el) => `${el.tagName} ${el.textContent ?? ''} ${Math.round(el.getBoundingClientRect().height)}`),
      );

    await page.goto('/');
    await visible(h1(page, 'Sign in'));
    await noHorizontalScroll();
    expect(await smallTargets()).toEqual([]);
    await saveScreenshot(page, 'signin-phone');

    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(h1(page, 'Study overview'));
    await visible(page.locator('main').getByText('NCT05933434'));
    await noHorizontalScroll();
    expect(await smallTargets()).toEqual([]);
    await saveScreenshot(page, 'overview-phone');

    // The navigation sits behind the Menu button.
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await visible(h1(page, 'Users'));
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await visible(page.getByRole('row', { name: /Karen Jensen/ }));
    await noHorizontalScroll();
    expect(await smallTargets()).toEqual([]);
    await saveScreenshot(page, 'users-phone');

    await page.getByRole('button', { name: 'New user' }).click();
    await visible(page.getByRole('dialog', { name: 'New user' }));
    await noHorizontalScroll();
    await saveScreenshot(page, 'users-create-dialog-phone');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Dansk' }).click();
    await visible(h1(page, 'Brugere'));
    await noHorizontalScroll();
    await saveScreenshot(page, 'users-phone-da');
    expect(problems).toEqual([]);
  });
});

describe('staff web app: session expiry and rate limiting', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { sessionIdleMinutes: 30, loginAttemptsPerMinute: 3 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an expired session returns to sign-in with a message; too many attempts are rate limited', async () => {
    const { page, problems } = await openPage(browser, { baseURL: server.url });
    page.setDefaultTimeout(10_000);
    await page.goto('/');
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(h1(page, 'Study overview'));

    server.advanceClock(31 * 60_000);
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await visible(h1(page, 'Sign in'));
    await visible(page.getByText('Your session has expired. Please sign in again.'));
    // Signing in again continues on the page the user was going to.
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(h1(page, 'Users'));

    // An expired cookie on a fresh page load says the same.
    server.advanceClock(31 * 60_000);
    await page.reload();
    await visible(page.getByText('Your session has expired. Please sign in again.'));

    // More than three attempts within a minute are refused (the loop tolerates crossing a minute boundary).
    const rateLimited = page
      .getByRole('alert')
      .getByText('Too many sign-in attempts from this device. Wait a minute and try again.');
    await page.getByLabel('E-mail address', { exact: true }).fill(ADMIN_EMAIL);
    for (let i = 0; i < 8 && !(await rateLimited.isVisible()); i++) {
      await page.getByLabel('Password', { exact: true }).fill(`wrong-password-${i}`);
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
        page.getByRole('button', { name: 'Sign in', exact: true }).click(),
      ]);
    }
    await rateLimited.waitFor();
    expect(problems).toEqual([]);
  });
});
