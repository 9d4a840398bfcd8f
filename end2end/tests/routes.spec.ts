import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test, expect, uniqueEmail, register, watchPage } from './fixtures';
import type { BrowserContext, Page } from '@playwright/test';

/**
 * Every page of the router, opened directly (a reload, a new tab, a shared link) in a
 * fresh page, logged out and logged in: its islands must hydrate without any error,
 * and a link in the header must lead on to a page that does too. The list comes from the router itself
 * (`marktchat routes`), so a new page cannot be forgotten.
 */
const BINARY = path.join(__dirname, '..', '..', 'target', 'release', 'marktchat');
const ROUTES = execFileSync(BINARY, ['routes'], { encoding: 'utf8' }).trim().split('\n');

test('every route hydrates when opened directly, logged out and logged in', async ({ page, context, browser, ready, baseURL }) => {
  test.setTimeout(180_000);
  expect(ROUTES.length).toBeGreaterThan(10);

  // Real ids: a member with a listing.
  await register(page, ready, uniqueEmail('routes'), 'Rieke Routen');
  const api = { headers: { Accept: 'application/json', Origin: baseURL! } };
  const saved = await page.request.post('/api/listings/save', {
    ...api,
    multipart: {
      title: 'Routenstuhl', description: 'Zum Testen', price_kind: 'fixed', price: '25',
      category: 'home-garden/furniture', postal_code: '10115', city: 'Berlin',
    },
  });
  expect(saved.status()).toBe(200);
  const listingId: string = await saved.json();
  const me = await (await page.request.post('/api/profile/me', api)).json();
  const values: Record<string, string> = { top: 'home-garden', sub: 'furniture' };
  const concrete = (route: string) =>
    route.replace(/\{(\w+)\}/g, (_, name: string) =>
      name === 'id' ? (route.startsWith('/users/') ? me.id : listingId) : values[name]);

  const visitor = await browser.newContext({ locale: 'de-DE' });
  for (const [who, ctx] of [['logged out', visitor], ['logged in', context]] as [string, BrowserContext][]) {
    for (const route of ROUTES) {
      const url = concrete(route);
      await test.step(`${who}: ${url}`, async () => {
        const fresh: Page = await ctx.newPage();
        const problems = watchPage(fresh);
        await fresh.goto(url);
        await ready(fresh);
        // A link in the header leads on (a page load), and that page hydrates too.
        const target = new URL(fresh.url()).pathname === '/search' ? '/' : '/search';
        await fresh.locator(`header a[href="${target}"]`).first().click();
        await expect(fresh).toHaveURL(new RegExp(`${target === '/' ? '/$' : '/search'}`));
        await ready(fresh);
        await expect(fresh.locator('main h1').first()).toBeVisible();
        expect(problems, `${who} ${url}`).toEqual([]);
        await fresh.close();
      });
    }
  }
  await visitor.close();
});
