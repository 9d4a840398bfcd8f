import fs from 'node:fs';
import path from 'node:path';
import { test as base, expect, Page } from '@playwright/test';

/**
 * The project's `test`: fails on any uncaught page error, any console error, any
 * console warning about hydration, and any 5xx response. Also exposes `ready(page)`,
 * which waits until the WASM bundle has hydrated the page (a no-op without JavaScript).
 *
 * One console error is expected and allowed: Chromium logs every 4xx answer as
 * "Failed to load resource: the server responded with a status of 4xx". The server
 * answers a user's mistake (wrong password, invalid field) with a 4xx on purpose —
 * never a 500 — and the tests check the message the page shows for it.
 */
const EXPECTED_4XX = /^Failed to load resource: the server responded with a status of 4\d\d /;

/** Collects what goes wrong on `page` (page errors, console errors, hydration warnings, 5xx). */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && EXPECTED_4XX.test(m.text())) return;
    if (m.type() === 'error' || (m.type() === 'warning' && /hydrat/i.test(m.text()))) {
      problems.push(`console.${m.type()}: ${m.text()}`);
    }
  });
  return problems;
}

export const test = base.extend<{ pageProblems: string[]; ready: (page: Page) => Promise<void> }>({
  pageProblems: [
    async ({ page }, use) => {
      const problems = watchPage(page);
      await use(problems);
      expect(problems, 'no page errors, console errors or hydration warnings').toEqual([]);
    },
    { auto: true },
  ],
  ready: async ({ javaScriptEnabled }, use) => {
    await use(async (page: Page) => {
      if (javaScriptEnabled) {
        await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
      }
    });
  },
});

export { expect };

let counter = 0;
/** A unique e-mail address per call (tests run in parallel on one database). */
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now()}-${process.pid}-${counter}@example.de`;
}

export const PASSWORD = 'correct horse battery';

/**
 * Logs in through the form (German UI) on its way to `next`, and ends there (the address
 * without a query: not `/login?next=…`).
 */
export async function logIn(page: Page, ready: (p: Page) => Promise<void>, email: string, next = '/') {
  await page.goto(next === '/' ? '/login' : `/login?next=${next}`);
  await ready(page);
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Anmelden' }).click();
  const escaped = next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  await expect(page).toHaveURL(new RegExp(`^[^?]*${escaped}$`));
}

/** Registers through the form (German UI) and ends on the profile page. */
export async function register(page: Page, ready: (p: Page) => Promise<void>, email: string, name: string) {
  await page.goto('/register');
  await ready(page);
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByLabel('Anzeigename', { exact: true }).fill(name);
  await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Konto anlegen' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Mein Profil' })).toBeVisible();
}

/** A small PNG picture. */
export const PICTURE = fs.readFileSync(path.join(__dirname, 'files', 'stuhl.png'));

/** Posts a listing as the hydrated form does (same session, same origin): a new one,
 * or with `id` an edit of that one; `image` adds a picture. Returns the listing's id. */
export async function postListing(
  page: Page,
  title: string,
  opts: { id?: string; image?: Buffer } = {},
): Promise<string> {
  const base = new URL(page.url()).origin;
  const multipart: Record<string, any> = {
    title,
    description: 'Für den Navigationstest.',
    price_kind: 'fixed',
    price: '10',
    category: 'home-garden/furniture',
    postal_code: '10115',
    city: 'Berlin',
  };
  if (opts.id) multipart.id = opts.id;
  if (opts.image) multipart.images = { name: 'bild.png', mimeType: 'image/png', buffer: opts.image };
  const res = await page.request.post(`${base}/api/listings/save`, {
    multipart,
    headers: { Accept: 'application/json', Origin: base },
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as string;
}
