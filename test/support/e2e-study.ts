/**
 * The set-up the trial-page e2e tests share: a real server on SQLite with the study's staff
 * accounts, a signed-in admin API client, real Chromium, and pages opened already signed in as one
 * of those accounts; plus the page checks those tests make (headings, touch targets, screenshots).
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { createAccounts, PASSWORD } from '../api-randomization-setup.js';
import { launchBrowser, openPage, saveScreenshot as saveFullPage, type TestPage } from './browser.js';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from './server.js';

export const visible = (locator: Locator): Promise<void> => locator.waitFor({ state: 'visible', timeout: 10_000 });

export const h1 = (page: Page, name: string | RegExp): Locator =>
  page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' });

/** A full-page screenshot from the top (a scrolled page would show the sticky top bar mid-page). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveFullPage(page, name);
}

/** Visible controls in the page's main area smaller than a 44 px touch target (radios count by their label). */
export function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        'main button, main a, main input, main select, main textarea, main summary',
      ),
    ]
      .filter((el) => el.offsetParent !== null)
      .map((el) =>
        el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')
          ? (el.closest('label') ?? el)
          : el,
      )
      .filter((el) => el.getBoundingClientRect().height < 44)
      .map((el) => `${el.tagName} ${el.textContent ?? ''} ${Math.round(el.getBoundingClientRect().height)}`),
  );
}

/** Signs in on the sign-in page with one of the study accounts (they share `PASSWORD`). */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('E-mail address', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Options of a page: a viewport other than the desktop one, and touch/mobile emulation. */
export interface StudyPageOptions {
  viewport?: { width: number; height: number };
  mobile?: boolean;
}

export interface E2eStudy {
  server: TestServer;
  browser: Browser;
  /** The administrator, signed in over the API. */
  admin: ApiClient;
  /** Opens `path` in a new browser context and signs in there as `email`. */
  open(email: string, path: string, opts?: StudyPageOptions): Promise<TestPage>;
  close(): Promise<void>;
}

/** Starts the server and the browser and creates the study accounts (`createAccounts`). */
export async function startE2eStudy(): Promise<E2eStudy> {
  const server = await startTestServer('sqlite');
  const browser = await launchBrowser();
  await createAccounts(server.ctx);
  const admin = new ApiClient(server.url);
  const login = await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  if (login.status !== 200) throw new Error(`admin sign-in answered ${login.status}`);
  return {
    server,
    browser,
    admin,
    async open(email, path, opts = {}) {
      const p = await openPage(browser, { baseURL: server.url, ...opts });
      p.page.setDefaultTimeout(10_000);
      await p.page.goto(path);
      await signIn(p.page, email);
      return p;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
