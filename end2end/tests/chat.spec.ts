import { test, expect, uniqueEmail, register, watchPage } from './fixtures';
import type { Browser, BrowserContext, Page } from '@playwright/test';

/** A person in their own browser context (own cookies, own tabs). */
type Person = { context: BrowserContext; page: Page; problems: string[] };

async function person(browser: Browser, javaScriptEnabled: boolean, name: string, ready: (p: Page) => Promise<void>): Promise<Person> {
  const context = await browser.newContext({ javaScriptEnabled, locale: 'de-DE' });
  const page = await context.newPage();
  const problems = watchPage(page);
  await register(page, ready, uniqueEmail(name.toLowerCase()), name);
  return { context, page, problems };
}

async function done(...people: Person[]) {
  for (const p of people) {
    expect(p.problems, 'no page errors, console errors or hydration warnings').toEqual([]);
    await p.context.close();
  }
}

/** Posts a listing and returns its URL. */
async function postListing(page: Page, ready: (p: Page) => Promise<void>, title: string): Promise<string> {
  await page.goto('/listings/new');
  await ready(page);
  await page.getByLabel('Titel', { exact: true }).fill(title);
  await page.getByLabel('Zu verschenken').check();
  await page.getByLabel('Kategorie', { exact: true }).selectOption('home-garden/furniture');
  await page.getByLabel('Postleitzahl', { exact: true }).fill('10115');
  await page.getByLabel('Ort', { exact: true }).fill('Berlin');
  await page.getByRole('button', { name: 'Anzeige speichern' }).click();
  await expect(page).toHaveURL(/\/listings\/[0-9a-f-]+\?saved=1$/);
  return page.url().replace(/\?saved=1$/, '');
}

/** From the listing page, the first message; ends in the conversation. */
async function contactSeller(page: Page, ready: (p: Page) => Promise<void>, listingUrl: string, text: string): Promise<string> {
  await page.goto(listingUrl);
  await ready(page);
  await page.getByLabel('Deine Nachricht an den Verkäufer').fill(text);
  await page.locator('#contact').getByRole('button', { name: 'Senden' }).click();
  await expect(page).toHaveURL(/\/messages\/[0-9a-f-]+$/);
  await expect(page.locator('.message.mine').filter({ hasText: text })).toHaveCount(1);
  return page.url();
}

const messages = (page: Page, text: string) => page.locator('.message').filter({ hasText: text });

test('buyer and seller chat live about a listing, until the listing goes', async ({ browser, javaScriptEnabled, ready }) => {
  test.skip(!javaScriptEnabled, 'live updates need JavaScript');
  const title = `Sessel ${Date.now()}`;
  const seller = await person(browser, true, 'Sabine', ready);
  const listingUrl = await postListing(seller.page, ready, title);
  const buyer = await person(browser, true, 'Bernd', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Hallo, ist der Sessel noch da?');

  // The seller's badge counts it; the inbox groups it under the listing.
  await seller.page.goto('/messages');
  await ready(seller.page);
  await expect(seller.page.locator('.unread-total')).toContainText('1');
  const group = seller.page.locator('.inbox-group').filter({ hasText: title });
  await expect(group.locator('.inbox-row')).toHaveCount(1);
  await expect(group.locator('.inbox-row')).toContainText('Bernd');
  await group.locator('.inbox-row a').click();
  await expect(seller.page).toHaveURL(conversationUrl);
  await ready(seller.page);
  await expect(messages(seller.page, 'Hallo, ist der Sessel noch da?')).toHaveCount(1);

  // Opening it read it: the buyer sees the receipt without reloading.
  await expect(buyer.page.locator('.message.mine .delivery').last()).toHaveText('gelesen');

  // The buyer types: the seller sees it; Enter sends; it arrives live.
  const box = buyer.page.getByLabel('Deine Nachricht', { exact: true });
  await box.pressSequentially('Ich könnte heute');
  await expect(seller.page.locator('.typing')).toHaveText('Bernd schreibt …');
  await box.pressSequentially(' abholen.');
  await box.press('Shift+Enter');
  await box.pressSequentially('Passt 18 Uhr?');
  await box.press('Enter');
  await expect(box).toHaveValue('');
  await expect(messages(seller.page, 'Passt 18 Uhr?')).toHaveCount(1);
  await expect(messages(seller.page, 'Ich könnte heute abholen.')).toHaveCount(1);
  await expect(buyer.page.locator('.message.mine .delivery').last()).toHaveText('gelesen');

  // The seller answers; it arrives live, once.
  await seller.page.getByLabel('Deine Nachricht', { exact: true }).fill('Ja, 18 Uhr passt.');
  await seller.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(buyer.page, 'Ja, 18 Uhr passt.')).toHaveCount(1);
  await expect(messages(seller.page, 'Ja, 18 Uhr passt.')).toHaveCount(1);

  // The buyer archives it for himself.
  await buyer.page.getByText('Aktionen').click();
  await buyer.page.getByRole('button', { name: 'Archivieren' }).click();
  await buyer.page.goto('/messages?tab=archived');
  await ready(buyer.page);
  await expect(buyer.page.locator('.inbox-group').filter({ hasText: title })).toHaveCount(1);

  // The seller deactivates the listing: the buyer's open page turns read-only, live.
  await buyer.page.goto(conversationUrl);
  await ready(buyer.page);
  await expect(buyer.page.getByLabel('Deine Nachricht', { exact: true })).toBeVisible();
  await seller.page.goto(listingUrl);
  await ready(seller.page);
  await seller.page.getByRole('button', { name: 'Deaktivieren' }).click();
  await expect(seller.page).toHaveURL(/\?status=inactive$/);
  await expect(buyer.page.getByText('Die Anzeige wurde deaktiviert.')).toBeVisible();
  await expect(buyer.page.getByLabel('Deine Nachricht', { exact: true })).toHaveCount(0);
  await done(buyer, seller);
});

test('a message written offline arrives once when the connection is back', async ({ browser, javaScriptEnabled, ready }) => {
  test.skip(!javaScriptEnabled, 'the outbox needs JavaScript');
  const seller = await person(browser, true, 'Sonja', ready);
  const listingUrl = await postListing(seller.page, ready, `Lampe ${Date.now()}`);
  const buyer = await person(browser, true, 'Bodo', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Ist die Lampe noch da?');
  await seller.page.goto(conversationUrl);
  await ready(seller.page);

  await buyer.context.setOffline(true);
  const box = buyer.page.getByLabel('Deine Nachricht', { exact: true });
  await box.fill('Geschrieben ohne Netz');
  await box.press('Enter');
  await expect(messages(buyer.page, 'Geschrieben ohne Netz')).toHaveCount(1);
  await buyer.context.setOffline(false);
  await expect(messages(seller.page, 'Geschrieben ohne Netz')).toHaveCount(1);
  await expect(buyer.page.locator('.message.sending')).toHaveCount(0, { timeout: 30_000 });
  await expect(messages(buyer.page, 'Geschrieben ohne Netz')).toHaveCount(1);
  // Nothing doubled, also after a reload.
  await seller.page.reload();
  await ready(seller.page);
  await expect(messages(seller.page, 'Geschrieben ohne Netz')).toHaveCount(1);
  await done(buyer, seller);
});

test('without JavaScript: read the conversation and reply with a form', async ({ browser, javaScriptEnabled, ready }) => {
  test.skip(javaScriptEnabled, 'the form path');
  const seller = await person(browser, false, 'Silke', ready);
  const listingUrl = await postListing(seller.page, ready, `Tisch ${Date.now()}`);
  const buyer = await person(browser, false, 'Boris', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Ist der <b>Tisch</b> noch da?');

  await seller.page.goto('/messages');
  await seller.page.locator('.inbox-row a').first().click();
  await expect(seller.page).toHaveURL(conversationUrl);
  // Text stays text.
  await expect(messages(seller.page, 'Ist der <b>Tisch</b> noch da?')).toHaveCount(1);
  await seller.page.getByLabel('Deine Nachricht', { exact: true }).fill('Ja, noch da.');
  await seller.page.getByRole('button', { name: 'Senden' }).click();
  await expect(seller.page).toHaveURL(new RegExp(`${conversationUrl.replace(/[/.?]/g, '\\$&')}#m2$`));
  await expect(messages(seller.page, 'Ja, noch da.')).toHaveCount(1);

  await buyer.page.goto(conversationUrl);
  await expect(messages(buyer.page, 'Ja, noch da.')).toHaveCount(1);
  // An empty reply is refused with a message.
  await buyer.page.getByLabel('Deine Nachricht', { exact: true }).fill('   ');
  await buyer.page.getByRole('button', { name: 'Senden' }).click();
  await expect(buyer.page.getByText('Bitte ausfüllen.')).toBeVisible();
  await done(buyer, seller);
});
