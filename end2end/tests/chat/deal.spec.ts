// The listing at the top of a conversation, and selling it to one of the people who
// wrote: their conversation stays open and says "sold"; the others close. Hydrated the
// header follows the listing live; without JavaScript on the next page.
import { test, expect } from '../fixtures';
import { person, done, postListing, contactSeller, messages } from './steps';

const unique = (name: string) => `${name} ${Math.random().toString(36).slice(2, 7)}`;

test('sold to one buyer: their conversation stays open, the others close, every header says so', async ({ browser, ready, javaScriptEnabled: js }) => {
  test.setTimeout(120_000);
  const [anton, berta] = [unique('Anton'), unique('Berta')];
  const seller = await person(browser, js, 'Selma', ready);
  const title = `Sessel ${Date.now()}`;
  const listingUrl = await postListing(seller.page, ready, title);
  const a = await person(browser, js, anton, ready);
  const withA = await contactSeller(a.page, ready, listingUrl, 'Ich nehme den Sessel.');
  const b = await person(browser, js, berta, ready);
  const withB = await contactSeller(b.page, ready, listingUrl, 'Ist der Sessel noch da?');

  // The conversation shows the listing: its title links to it while it is on offer.
  const head = a.page.locator('.conversation-listing');
  await expect(head.getByRole('link', { name: title })).toHaveAttribute('href', new URL(listingUrl).pathname);
  await expect(head).toContainText('Zu verschenken');

  // Paused: the header says so, and leads nowhere (no "not found").
  await seller.page.goto(listingUrl);
  await ready(seller.page);
  await seller.page.getByRole('button', { name: 'Deaktivieren' }).click();
  await expect(seller.page).toHaveURL(/status=inactive$/);
  if (!js) await a.page.reload();
  await expect(head.getByText('Deaktiviert')).toBeVisible();
  await expect(head.getByRole('link', { name: title })).toHaveCount(0);
  await ready(seller.page);
  await seller.page.getByRole('button', { name: 'Wieder aktivieren' }).click();
  await expect(seller.page).toHaveURL(/status=active$/);
  await ready(seller.page);

  // Sold to Anton, chosen among the people who wrote.
  const soldTo = seller.page.getByLabel('Verkauft an', { exact: true });
  await expect(soldTo.locator('option')).toHaveText([anton, berta, 'Jemand anderen']);
  await soldTo.selectOption({ label: anton });
  await seller.page.getByRole('button', { name: 'Als verkauft markieren' }).click();
  await expect(seller.page).toHaveURL(/status=sold$/);

  // Anton's conversation stays open, its header says sold (live with JavaScript).
  if (!js) await a.page.reload();
  await expect(head.getByText('Verkauft')).toBeVisible();
  await expect(head.getByRole('link', { name: title })).toHaveCount(0);
  await expect(a.page.getByLabel('Deine Nachricht', { exact: true })).toBeVisible();
  await a.page.getByLabel('Deine Nachricht', { exact: true }).fill('Wann kann ich ihn holen?');
  await a.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(a.page, 'Wann kann ich ihn holen?')).toHaveCount(1);
  await seller.page.goto(withA);
  await ready(seller.page);
  await expect(messages(seller.page, 'Wann kann ich ihn holen?')).toHaveCount(1);
  await expect(seller.page.getByLabel('Deine Nachricht', { exact: true })).toBeVisible();

  // Berta's closes.
  if (!js) await b.page.reload();
  await expect(b.page.getByText('Die Anzeige ist verkauft.')).toBeVisible();
  await expect(b.page.getByLabel('Deine Nachricht', { exact: true })).toHaveCount(0);
  expect(b.page.url()).toBe(withB);
  await done(a, b, seller);
});
