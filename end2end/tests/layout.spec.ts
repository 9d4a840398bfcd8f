import { test, expect, uniqueEmail, register } from './fixtures';
import type { Page } from '@playwright/test';

// The longest values every field allows, written as people do who break layouts: one
// word without a break, a bare URL.
const LONG_NAME = 'Maximiliane' + 'x'.repeat(39); // 50 characters, the most allowed
const LONG_TITLE = 'Donaudampfschifffahrtsgesellschaftskapitänsmützenaufbewahrungsschrankschlüsselanhängerset'.padEnd(100, 'e');
const LONG_URL = 'https://example.de/' + 'ganz-langer-pfad/'.repeat(40) + '?und=' + 'x'.repeat(300);
const LONG_CITY = 'Sankt' + 'Schlossbergstadthausen'.repeat(3).slice(0, 55); // 60 characters

/** The page is no wider than the window: nothing makes it scroll sideways. */
async function noSidewaysScroll(page: Page, what: string) {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    window: document.documentElement.clientWidth,
  }));
  expect(widths.page, `${what}: page ${widths.page} px wide in a ${widths.window} px window`).toBeLessThanOrEqual(widths.window);
}

test('long words, names and links never make a page scroll sideways', async ({ page, ready }) => {
  test.setTimeout(60_000);
  await register(page, ready, uniqueEmail('lang'), LONG_NAME);
  await page.goto('/listings/new');
  await ready(page);
  await page.getByLabel('Titel', { exact: true }).fill(LONG_TITLE);
  await page.getByLabel('Beschreibung', { exact: true }).fill(`Siehe ${LONG_URL}\n${'Kühlschrankthermostatknopf'.repeat(8)}`);
  await page.getByLabel('Verhandlungssache').check();
  await page.getByLabel('Betrag in Euro', { exact: true }).fill('9.999.999');
  await page.getByLabel('Kategorie', { exact: true }).selectOption('home-garden/furniture');
  await page.getByLabel('Postleitzahl', { exact: true }).fill('99998');
  await page.getByLabel('Ort', { exact: true }).fill(LONG_CITY);
  await page.getByRole('button', { name: 'Anzeige speichern' }).click();
  await expect(page).toHaveURL(/\/listings\/[0-9a-f-]+\?saved=1$/);
  const listing = new URL(page.url()).pathname;
  const profile = await page.getByRole('link', { name: LONG_NAME }).first().getAttribute('href');

  const pages = [
    ['the listing', listing],
    ['its edit form', `${listing}/edit`],
    ['the start page', '/'],
    ['the search', `/search?q=${encodeURIComponent('Donaudampfschifffahrtsgesellschaft')}`],
    ['the category', '/c/home-garden'],
    ['the own profile', '/profile'],
    ['the own listings', '/profile?section=listings'],
    ['the public profile', profile ?? '/users'],
    ['the directory', '/users'],
  ];
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    for (const [what, path] of pages) {
      await page.goto(path);
      await ready(page);
      await expect(page.locator('main h1')).toBeVisible();
      await noSidewaysScroll(page, `${what} at ${width} px`);
    }
  }
});

test('the search filters fold away on phones and stay open on wide screens', async ({ page, ready }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/search?q=stuhl');
  await ready(page);
  const minPrice = page.getByLabel('Preis ab (€)');
  await expect(minPrice).toBeHidden();
  await page.getByText('Preis, Ort und Sortierung').click();
  await expect(minPrice).toBeVisible();
  // In use: shown from the start.
  await page.goto('/search?q=stuhl&min=10');
  await ready(page);
  await expect(minPrice).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/search?q=stuhl');
  await ready(page);
  await expect(minPrice).toBeVisible();
  await expect(page.getByText('Preis, Ort und Sortierung')).toBeHidden();
});
