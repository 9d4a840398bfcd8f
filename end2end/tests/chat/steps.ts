// Shared steps of the chat tests: people in their own browser contexts, a listing, the
// first message.
import { expect, uniqueEmail, register, watchPage } from '../fixtures';
import type { Browser, BrowserContext, Page } from '@playwright/test';

/** A person in their own browser context (own cookies, own tabs). */
export type Person = { context: BrowserContext; page: Page; problems: string[] };

export async function person(browser: Browser, javaScriptEnabled: boolean, name: string, ready: (p: Page) => Promise<void>, timezoneId?: string): Promise<Person> {
  const context = await browser.newContext({ javaScriptEnabled, locale: 'de-DE', timezoneId });
  const page = await context.newPage();
  const problems = watchPage(page);
  await register(page, ready, uniqueEmail(name.toLowerCase().replace(/[^a-z0-9]+/g, '-')), name);
  return { context, page, problems };
}

export async function done(...people: Person[]) {
  for (const p of people) {
    expect(p.problems, 'no page errors, console errors or hydration warnings').toEqual([]);
    await p.context.close();
  }
}

/** The listing form's words, in the page's language. */
const LISTING_FORM = {
  de: { title: 'Titel', free: 'Zu verschenken', category: 'Kategorie', postal: 'Postleitzahl', city: 'Ort', save: 'Anzeige speichern' },
  en: { title: 'Title', free: 'Free', category: 'Category', postal: 'Postal code', city: 'Town', save: 'Save listing' },
};

/** Posts a listing (through the form in the page's language) and returns its URL. */
export async function postListing(page: Page, ready: (p: Page) => Promise<void>, title: string, lang: 'de' | 'en' = 'de'): Promise<string> {
  const words = LISTING_FORM[lang];
  await page.goto('/listings/new');
  await ready(page);
  await page.getByLabel(words.title, { exact: true }).fill(title);
  await page.getByLabel(words.free, { exact: true }).check();
  await page.getByLabel(words.category, { exact: true }).selectOption('home-garden/furniture');
  await page.getByLabel(words.postal, { exact: true }).fill('10115');
  await page.getByLabel(words.city, { exact: true }).fill('Berlin');
  await page.getByRole('button', { name: words.save }).click();
  await expect(page).toHaveURL(/\/listings\/[0-9a-f-]+\?saved=1$/);
  return page.url().replace(/\?saved=1$/, '');
}

/** From the listing page, the first message; ends in the conversation. */
export async function contactSeller(page: Page, ready: (p: Page) => Promise<void>, listingUrl: string, text: string): Promise<string> {
  await page.goto(listingUrl);
  await ready(page);
  await page.getByLabel('Deine Nachricht an den Verkäufer').fill(text);
  await page.locator('#contact').getByRole('button', { name: 'Senden' }).click();
  await expect(page).toHaveURL(/\/messages\/[0-9a-f-]+$/);
  await expect(page.locator('.message.mine').filter({ hasText: text })).toHaveCount(1);
  // The page is live (hydrated, its socket open) before the other side acts: a read
  // mark made before the socket shows the conversation is not sent to it yet.
  await ready(page);
  return page.url();
}

export const messages = (page: Page, text: string) => page.locator('.message').filter({ hasText: text });

