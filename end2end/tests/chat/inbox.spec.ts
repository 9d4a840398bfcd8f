// The inbox's search through one's own conversations and its "unread only" filter: a
// plain GET form, so the same hydrated and without JavaScript.
import { test, expect } from '../fixtures';
import { person, done, postListing, contactSeller } from './steps';

test('the inbox finds a conversation by its words and shows only unread ones on request', async ({ browser, ready, javaScriptEnabled: js }) => {
  test.setTimeout(90_000);
  const stamp = Date.now().toString(36);
  const seller = await person(browser, js, 'Selma', ready);
  const listingUrl = await postListing(seller.page, ready, `Kommode ${stamp}`);
  const buyer = await person(browser, js, 'Bruno', ready);
  await contactSeller(buyer.page, ready, listingUrl, `Ist die Kommode aus Eiche-${stamp}?`);
  const other = await postListing(seller.page, ready, `Regal ${stamp}`);
  await contactSeller(buyer.page, ready, other, 'Wie hoch ist das Regal?');

  const page = seller.page;
  await page.goto('/messages');
  await ready(page);
  const rows = page.locator('.inbox-row');
  await expect(rows).toHaveCount(2);
  const search = page.getByRole('searchbox', { name: 'In deinen Unterhaltungen suchen' });
  // A word of a message (any case): only that conversation.
  await search.fill(`EICHE-${stamp}`);
  await page.getByRole('search').getByRole('button', { name: 'Suchen' }).click();
  await expect(page).toHaveURL(/\/messages\?q=/);
  await ready(page);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Eiche');
  await expect(search).toHaveValue(`EICHE-${stamp}`);
  // Someone's name finds their conversations.
  await search.fill('bruno');
  await page.getByRole('search').getByRole('button', { name: 'Suchen' }).click();
  await ready(page);
  await expect(rows).toHaveCount(2);

  // Unread only: both, until one is read.
  await search.fill('');
  await page.getByLabel('Nur ungelesene').check();
  await page.getByRole('search').getByRole('button', { name: 'Suchen' }).click();
  await ready(page);
  await expect(rows).toHaveCount(2);
  await rows.filter({ hasText: 'Regal' }).getByRole('link').click();
  await expect(page).toHaveURL(/\/messages\/[0-9a-f-]+/);
  await ready(page);
  await page.goto('/messages?unread=1');
  await ready(page);
  await expect(rows).toHaveCount(1);
  await expect(page.getByLabel('Nur ungelesene')).toBeChecked();
  await page.goto(`/messages?unread=1&q=${encodeURIComponent('Regal')}`);
  await ready(page);
  await expect(page.getByText('Keine Unterhaltung passt dazu.')).toBeVisible();
  await done(buyer, seller);
});
