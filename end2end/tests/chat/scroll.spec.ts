// Where a long conversation opens and how it follows new messages. Runs hydrated and
// without JavaScript (there the inbox's links carry the place to open at).
import { test, expect } from '../fixtures';
import { person, done, postListing, contactSeller, messages } from './steps';
import type { Page } from '@playwright/test';

/** A message a few lines long: 25 of them make a page several windows tall. */
const question = (i: number) => `Frage ${i}: ${'Wie ist der Zustand, gibt es Kratzer? '.repeat(8)}`;

async function reply(page: Page, js: boolean, text: string) {
  const box = page.getByLabel('Deine Nachricht', { exact: true });
  await box.fill(text);
  if (js) await box.press('Enter');
  else await page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(page, text)).toHaveCount(1);
}

test('a long conversation opens at the first unread message, then at the newest, and follows new ones', async ({ browser, ready, javaScriptEnabled: js }) => {
  test.setTimeout(90_000);
  const seller = await person(browser, js, 'Sonja', ready);
  await seller.page.setViewportSize({ width: 390, height: 700 });
  const listingUrl = await postListing(seller.page, ready, `Kiste ${Date.now()}`);
  const buyer = await person(browser, js, 'Bernd', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, question(1));
  for (let i = 2; i <= 25; i++) await reply(buyer.page, js, question(i));
  if (js) await expect(buyer.page.locator('.message.sending')).toHaveCount(0);

  // The seller follows the inbox: the page opens at the line before the first unread.
  await seller.page.goto('/messages');
  await ready(seller.page);
  await seller.page.locator('.inbox-row a').first().click();
  await expect(seller.page).toHaveURL(`${conversationUrl}#new`);
  await ready(seller.page);
  await expect(seller.page.locator('#new')).toBeInViewport();
  await expect(messages(seller.page, 'Frage 1:')).toBeInViewport();
  await expect(messages(seller.page, 'Frage 25:')).not.toBeInViewport();

  // All read now: the next visit opens at the newest message, above the reply box.
  await seller.page.goto('/messages');
  await ready(seller.page);
  await seller.page.locator('.inbox-row a').first().click();
  await expect(seller.page).toHaveURL(`${conversationUrl}#latest`);
  await ready(seller.page);
  await expect(seller.page.locator('#new')).toHaveCount(0);
  await expect(messages(seller.page, 'Frage 25:')).toBeInViewport();
  await expect(seller.page.getByLabel('Deine Nachricht', { exact: true })).toBeInViewport();

  if (js) {
    // Opened directly (no place in the address): at the newest too.
    await seller.page.goto(conversationUrl);
    await ready(seller.page);
    await expect(messages(seller.page, 'Frage 25:')).toBeInViewport();
    // At the bottom, a new message is scrolled into view as it arrives.
    await reply(buyer.page, js, question(26));
    await expect(messages(seller.page, 'Frage 26:')).toBeInViewport();
    await expect(seller.page.locator('.jump-new')).toHaveCount(0);
    // Further up, the reader stays where they are and a button leads down.
    await seller.page.evaluate(() => window.scrollTo(0, 0));
    await reply(buyer.page, js, question(27));
    await expect(seller.page.locator('.jump-new')).toBeVisible();
    await expect(messages(seller.page, 'Frage 27:')).not.toBeInViewport();
    await seller.page.locator('.jump-new').click();
    await expect(messages(seller.page, 'Frage 27:')).toBeInViewport();
    await expect(seller.page.locator('.jump-new')).toHaveCount(0);
  }
  await done(buyer, seller);
});
