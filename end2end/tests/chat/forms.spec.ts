// Chat without JavaScript (only the project `no-js` runs this file).
import { test, expect } from '../fixtures';
import { person, done, postListing, contactSeller, messages } from './steps';

test('without JavaScript: read the conversation and reply with a form', async ({ browser, ready }) => {
  const seller = await person(browser, false, 'Silke', ready);
  const listingUrl = await postListing(seller.page, ready, `Tisch ${Date.now()}`);
  const buyer = await person(browser, false, 'Boris', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Ist der <b>Tisch</b> noch da?');

  await seller.page.goto('/messages');
  await seller.page.locator('.inbox-row a').first().click();
  await expect(seller.page).toHaveURL(`${conversationUrl}#new`);
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
