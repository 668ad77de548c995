/**
 * Real Chromium for end-to-end tests: Debian's `/usr/bin/chromium` driven by playwright-core
 * (never a downloaded browser). Pages record console errors, uncaught exceptions and CSP
 * violations so tests can assert that a screen ran cleanly; screenshots go to `test-output/`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, sandbox-free headless run inside a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP_VIEWPORT = { width: 1280, height: 800 } as const;
export const PHONE_VIEWPORT = { width: 360, height: 740 } as const;

/** Where screenshots are written (gitignored). */
export const SCREENSHOT_DIR = 'test-output';

/** Launches Chromium; close it in afterAll. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A fresh browser session (own cookies and storage) with problems collected in `problems`. */
export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  problems: string[];
}

export interface TestPageOptions {
  baseURL: string;
  viewport?: { width: number; height: number };
  /** Browser language (navigator.language); default en-GB so the app starts in English. */
  locale?: string;
  /** Emulate a phone (touch, mobile meta viewport). */
  mobile?: boolean;
}

/**
 * Opens a new context and page. Expected HTTP error answers (e.g. 401 from a wrong password) are
 * logged by Chromium as "Failed to load resource"; those are not counted as problems.
 */
export async function openPage(browser: Browser, opts: TestPageOptions): Promise<TestPage> {
  const context = await browser.newContext({
    baseURL: opts.baseURL,
    viewport: opts.viewport ?? DESKTOP_VIEWPORT,
    locale: opts.locale ?? 'en-GB',
    ...(opts.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (/^Failed to load resource: the server responded with a status of (4\d\d)/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  return { context, page, problems };
}

/** Saves a full-page screenshot to `test-output/<name>.png` and returns the path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
