// Who is in a conversation and who may write in it: blocks, adding people. Runs
// hydrated and without JavaScript (every step is a plain form; live where it runs).
import { test, expect } from '../fixtures';
import { person, done, postListing, contactSeller, messages } from './steps';

/** A name nobody else in the test database has. */
const unique = (name: string) => `${name} ${Math.random().toString(36).slice(2, 7)}`;

test('a block stops messages both ways, and the blocker sees how to lift it', async ({ browser, ready, javaScriptEnabled: js }) => {
  test.setTimeout(90_000);
  const buyerName = unique('Bodo');
  const seller = await person(browser, js, 'Svenja', ready);
  const listingUrl = await postListing(seller.page, ready, `Vase ${Date.now()}`);
  const buyer = await person(browser, js, buyerName, ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Ist die Vase noch da?');
  await seller.page.goto(conversationUrl);
  await ready(seller.page);
  await buyer.page.goto(conversationUrl);
  await ready(buyer.page);

  await seller.page.getByText('Aktionen').click();
  await seller.page.getByRole('button', { name: 'Blockieren' }).click();
  const notice = seller.page.locator('.blocked-notice');
  await expect(notice).toContainText(`Du hast ${buyerName} blockiert: ihr könnt euch keine Nachrichten schreiben.`);
  await expect(seller.page.getByLabel('Deine Nachricht', { exact: true })).toHaveCount(0);
  // The blocked side sees the neutral notice (live with JavaScript, on its next load
  // without), and nothing about who blocked whom.
  if (!js) await buyer.page.reload();
  await expect(buyer.page.getByText('Du kannst dieser Person keine Nachricht schreiben.')).toBeVisible();
  await expect(buyer.page.getByLabel('Deine Nachricht', { exact: true })).toHaveCount(0);
  await expect(buyer.page.getByText(/blockiert/)).toHaveCount(0);

  // Lifted from the notice: both can write again.
  await notice.getByRole('button', { name: 'Blockierung aufheben' }).click();
  await expect(seller.page.locator('.blocked-notice')).toHaveCount(0);
  await ready(seller.page);
  await seller.page.getByLabel('Deine Nachricht', { exact: true }).fill('Ja, die Vase ist noch da.');
  await seller.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(seller.page, 'Ja, die Vase ist noch da.')).toHaveCount(1);
  await buyer.page.goto(conversationUrl);
  await ready(buyer.page);
  await expect(messages(buyer.page, 'Ja, die Vase ist noch da.')).toHaveCount(1);
  await expect(buyer.page.getByLabel('Deine Nachricht', { exact: true })).toBeVisible();
  await done(buyer, seller);
});

test('a listing conversation stays between buyer and seller; a person added elsewhere reads from their joining on', async ({ browser, ready, javaScriptEnabled: js }) => {
  test.setTimeout(90_000);
  const [sellerName, carlName] = [unique('Sina'), unique('Carl')];
  const seller = await person(browser, js, sellerName, ready);
  const listingUrl = await postListing(seller.page, ready, `Uhr ${Date.now()}`);
  const buyer = await person(browser, js, 'Ben', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Meine Nummer: 0170 1234567');
  const carl = await person(browser, js, carlName, ready);

  // About a listing: nobody can be added.
  await buyer.page.getByText('Aktionen').click();
  await expect(buyer.page.getByRole('button', { name: 'Archivieren' })).toBeVisible();
  await expect(buyer.page.getByLabel('Name oder Link zum Profil')).toHaveCount(0);

  // A direct conversation with the seller, from the directory.
  await buyer.page.goto(`/users?q=${encodeURIComponent(sellerName)}`);
  await ready(buyer.page);
  await buyer.page.getByRole('link', { name: `Nachricht schreiben: ${sellerName}` }).click();
  await buyer.page.getByLabel('Nachricht schreiben', { exact: true }).fill('Nur unter uns: mein Angebot');
  await buyer.page.locator('.contact-form').getByRole('button', { name: 'Senden' }).click();
  await expect(buyer.page).toHaveURL(/\/messages\/[0-9a-f-]+$/);
  expect(buyer.page.url()).not.toBe(conversationUrl);
  await ready(buyer.page);
  const directUrl = buyer.page.url();

  // A refused addition shows its reason where the person looks (the actions open).
  await buyer.page.getByText('Aktionen').click();
  await buyer.page.getByLabel('Name oder Link zum Profil').fill('Niemand Bekanntes');
  await buyer.page.getByRole('button', { name: 'Person hinzufügen' }).click();
  await expect(buyer.page.getByText('Unter diesem Namen oder Link gibt es niemanden.')).toBeVisible();

  // Carl is added: he sees the conversation from then on, not what came before.
  const details = buyer.page.locator('details.conversation-actions');
  if (!(await details.getAttribute('open').then((v) => v !== null))) await buyer.page.getByText('Aktionen').click();
  await buyer.page.getByLabel('Name oder Link zum Profil').fill(carlName);
  await buyer.page.getByRole('button', { name: 'Person hinzufügen' }).click();
  await expect(buyer.page.locator('.conversation-head h1')).toContainText(carlName);
  await carl.page.goto(directUrl);
  await ready(carl.page);
  await expect(messages(carl.page, 'Nur unter uns: mein Angebot')).toHaveCount(0);
  await carl.page.getByLabel('Deine Nachricht', { exact: true }).fill('Hallo zusammen');
  await carl.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(carl.page, 'Hallo zusammen')).toHaveCount(1);
  // Everyone sees the joining as a line in the conversation, each from their side.
  await expect(carl.page.locator('.messages .notice')).toHaveText([/^Ben hat dich hinzugefügt · \d\d:\d\d$/]);
  await buyer.page.goto(directUrl);
  await ready(buyer.page);
  await expect(messages(buyer.page, 'Nur unter uns: mein Angebot')).toHaveCount(1);
  await expect(messages(buyer.page, 'Hallo zusammen')).toHaveCount(1);
  await expect(buyer.page.locator('.messages .notice')).toHaveText([new RegExp(`^Du hast ${carlName} hinzugefügt · `)]);
  await seller.page.goto(directUrl);
  await ready(seller.page);
  await expect(seller.page.locator('.messages .notice')).toHaveText([new RegExp(`^Ben hat ${carlName} hinzugefügt · `)]);
  // Carl leaves: a line for the others (live where JavaScript runs).
  await carl.page.getByText('Aktionen').click();
  await carl.page.getByRole('button', { name: 'Unterhaltung verlassen' }).click();
  if (!js) await buyer.page.reload();
  await expect(buyer.page.locator('.messages .notice').last()).toContainText(`${carlName} hat die Unterhaltung verlassen`);
  // And the listing conversation is still the pair's alone.
  await carl.page.goto(conversationUrl);
  await expect(carl.page.getByText('Meine Nummer')).toHaveCount(0);
  await done(buyer, seller, carl);
});

test('quick replies ask whether it is still there and answer it, with one tap', async ({ browser, ready, javaScriptEnabled: js }) => {
  test.setTimeout(90_000);
  const seller = await person(browser, js, unique('Sara'), ready);
  const listingUrl = await postListing(seller.page, ready, `Lampe ${Date.now()}`);
  const buyer = await person(browser, js, unique('Bea'), ready);
  await buyer.page.goto(listingUrl);
  await ready(buyer.page);
  // On the listing: the first question, without typing (the text box may stay empty).
  await buyer.page.locator('#contact').getByRole('button', { name: 'Ist der Artikel noch da?' }).click();
  await expect(buyer.page).toHaveURL(/\/messages\/[0-9a-f-]+$/);
  await expect(messages(buyer.page, 'Ist der Artikel noch da?')).toHaveCount(1);
  // Asked once: the buyer is not offered it again.
  await expect(buyer.page.locator('.quick-replies')).toHaveCount(0);
  const conversationUrl = buyer.page.url();

  await seller.page.goto(conversationUrl);
  await ready(seller.page);
  const answers = seller.page.locator('.quick-replies').getByRole('button');
  await expect(answers).toHaveText(['Ja, noch da.', 'Leider schon weg.']);
  // What the seller typed stays in the box while a quick reply goes out.
  await seller.page.getByLabel('Deine Nachricht', { exact: true }).fill('Abholung am Samstag?');
  await answers.first().click();
  await expect(messages(seller.page, 'Ja, noch da.')).toHaveCount(1);
  await expect(seller.page.locator('.message.mine')).toHaveCount(1);
  if (js) await expect(seller.page.getByLabel('Deine Nachricht', { exact: true })).toHaveValue('Abholung am Samstag?');
  // Answered: no more quick replies until the buyer writes again.
  await expect(seller.page.locator('.quick-replies')).toHaveCount(0);
  if (!js) await buyer.page.reload();
  await expect(messages(buyer.page, 'Ja, noch da.')).toHaveCount(1);
  await done(buyer, seller);
});
