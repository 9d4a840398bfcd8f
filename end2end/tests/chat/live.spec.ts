// Live chat, hydrated only (the project `no-js` ignores this file: live updates need
// JavaScript).
import { test, expect, watchPage } from '../fixtures';
import { person, done, postListing, contactSeller, messages } from './steps';

test('buyer and seller chat live about a listing, until the listing goes', async ({ browser, ready }) => {
  // Many steps, each a round trip through two browsers: 25 s on an idle machine.
  test.setTimeout(90_000);
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
  await expect(seller.page).toHaveURL(`${conversationUrl}#new`);
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
  // Done when the page (loaded again, its actions folded away) offers the way back
  // (going on before raced the archiving).
  await expect(buyer.page.getByRole('button', { name: 'Aus dem Archiv holen', includeHidden: true })).toHaveCount(1);
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

test('a message written offline arrives once when the connection is back', async ({ browser, ready }) => {
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

test('two tabs lose nothing: what one tab could not send, the other sends, even after the first is closed', async ({ browser, ready }) => {
  const seller = await person(browser, true, 'Selma', ready);
  const listingUrl = await postListing(seller.page, ready, `Regal ${Date.now()}`);
  const buyer = await person(browser, true, 'Boris', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Ist das Regal noch da?');
  await seller.page.goto(conversationUrl);
  await ready(seller.page);

  // The first tab's connection is dead without saying so: it opens, takes every
  // frame and answers none (no ack ever comes).
  const first = await buyer.context.newPage();
  const firstProblems = watchPage(first);
  let swallowed = 0;
  await first.routeWebSocket(/\/ws$/, (ws) => {
    ws.onMessage(() => { swallowed += 1; });
  });
  await first.goto(conversationUrl);
  await ready(first);
  const firstBox = first.getByLabel('Deine Nachricht', { exact: true });
  await firstBox.fill('Aus dem ersten Tab');
  await firstBox.press('Enter');
  await expect(messages(first, 'Aus dem ersten Tab')).toHaveCount(1);
  await expect(first.locator('.message.sending')).toHaveCount(1);
  await expect.poll(() => swallowed, 'the first tab sent its frames into the dead connection').toBeGreaterThan(0);
  // It is closed before its message went anywhere: the message waits in the outbox
  // the tabs share, and the second tab (a working connection) sends it.
  await first.close();
  const box = buyer.page.getByLabel('Deine Nachricht', { exact: true });
  await box.fill('Aus dem zweiten Tab');
  await box.press('Enter');
  for (const text of ['Aus dem ersten Tab', 'Aus dem zweiten Tab']) {
    await expect(messages(seller.page, text)).toHaveCount(1, { timeout: 30_000 });
  }
  await expect(buyer.page.locator('.message.sending')).toHaveCount(0, { timeout: 30_000 });
  await seller.page.reload();
  await ready(seller.page);
  for (const text of ['Aus dem ersten Tab', 'Aus dem zweiten Tab']) {
    await expect(messages(seller.page, text)).toHaveCount(1);
  }
  expect(firstProblems, 'no page errors in the first tab').toEqual([]);
  await done(buyer, seller);
});

test('a copy of the conversation that the server does not have is loaded afresh', async ({ browser, ready }) => {
  const seller = await person(browser, true, 'Silke', ready);
  const listingUrl = await postListing(seller.page, ready, `Spiegel ${Date.now()}`);
  const buyer = await person(browser, true, 'Bruno', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Ist der Spiegel noch da?');
  // The server answers this page's resume with `reset`, as after a restore from an
  // older backup (the rest of the connection is the real one).
  let resets = 0;
  await buyer.page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((frame) => {
      const parsed = JSON.parse(String(frame));
      // The page names what it holds in `hello` (connected after it showed the
      // conversation) or in `resume` (before).
      const held = parsed.type === 'resume' ? [parsed] : parsed.type === 'hello' ? parsed.resume : [];
      if (resets === 0 && held.length > 0) {
        resets += 1;
        if (parsed.type === 'hello') server.send(JSON.stringify({ ...parsed, resume: [] }));
        ws.send(JSON.stringify({ type: 'reset', conversation: held[0].conversation }));
        return;
      }
      server.send(frame);
    });
  });
  let loads = 0;
  buyer.page.on('load', () => { loads += 1; });
  await buyer.page.goto(conversationUrl);
  // The page loads itself again (the server's history), once, and then follows live.
  await expect.poll(() => loads).toBe(2);
  await ready(buyer.page);
  expect(resets).toBe(1);
  await expect(messages(buyer.page, 'Ist der Spiegel noch da?')).toHaveCount(1);
  await seller.page.goto(conversationUrl);
  await ready(seller.page);
  await seller.page.getByLabel('Deine Nachricht', { exact: true }).fill('Ja, ist noch da.');
  await seller.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(buyer.page, 'Ja, ist noch da.')).toHaveCount(1);
  expect(loads, 'no reload loop').toBe(2);
  await done(buyer, seller);
});

test('writing too fast: the page says so and for how long, and the message goes out by itself', async ({ browser, ready }) => {
  const seller = await person(browser, true, 'Sanne', ready);
  const listingUrl = await postListing(seller.page, ready, `Teppich ${Date.now()}`);
  const buyer = await person(browser, true, 'Bastian', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Ist der Teppich noch da?');
  await seller.page.goto(conversationUrl);
  await ready(seller.page);
  // The server's answer to the buyer's next message is "too fast, wait 3 s" (the rest
  // of the connection is the real one).
  let limited = 0;
  await buyer.page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((frame) => {
      const parsed = JSON.parse(String(frame));
      if (parsed.type === 'send' && limited === 0) {
        limited += 1;
        ws.send(JSON.stringify({ type: 'error', code: 'rate_limited', client_id: parsed.client_id, retry_after_secs: 3 }));
        return;
      }
      server.send(frame);
    });
  });
  await buyer.page.goto(conversationUrl);
  await ready(buyer.page);
  const box = buyer.page.getByLabel('Deine Nachricht', { exact: true });
  await box.fill('Und wie groß ist er?');
  await box.press('Enter');
  await expect(buyer.page.getByText('Du schreibst gerade sehr schnell – kurz warten (etwa 3 Sekunden).')).toBeVisible();
  await expect(buyer.page.getByText('Auf dem Server ist etwas schiefgegangen')).toHaveCount(0);
  await expect(buyer.page.locator('.message.sending').filter({ hasText: 'Und wie groß ist er?' })).toHaveCount(1);
  // After the wait it goes out by itself, once, and the notice goes with it.
  await expect(messages(seller.page, 'Und wie groß ist er?')).toHaveCount(1, { timeout: 15_000 });
  await expect(buyer.page.getByText(/sehr schnell/)).toHaveCount(0);
  await expect(buyer.page.locator('.message.sending')).toHaveCount(0);
  expect(limited).toBe(1);
  await done(buyer, seller);
});

test('what changes live speaks the member\'s language', async ({ browser, ready }) => {
  const seller = await person(browser, true, 'Selma', ready);
  // The seller reads English (her profile's setting).
  await seller.page.goto('/profile');
  await ready(seller.page);
  await seller.page.getByLabel('Sprache', { exact: true }).selectOption('en');
  await seller.page.getByRole('button', { name: 'Speichern' }).click();
  await expect(seller.page.locator('html')).toHaveAttribute('lang', 'en');
  const listingUrl = await postListing(seller.page, ready, `Teekanne ${Date.now()}`, 'en');
  await seller.page.goto('/search');
  await ready(seller.page);

  // A message arrives while she is elsewhere: the header's count says "unread".
  const buyer = await person(browser, true, 'Bruno', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Gibt es einen Deckel?');
  await expect(seller.page.locator('.unread-total')).toHaveText('1 unread');

  // In the conversation, what arrives live is in English too.
  await seller.page.goto(conversationUrl);
  await ready(seller.page);
  await buyer.page.getByLabel('Deine Nachricht', { exact: true }).fill('Und einen Untersetzer?');
  await buyer.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(seller.page, 'Und einen Untersetzer?')).toHaveCount(1);
  await seller.page.getByLabel('Your message', { exact: true }).fill('Both, yes.');
  await seller.page.getByRole('button', { name: 'Send' }).click();
  await expect(seller.page.locator('.message.mine .delivery').last()).toHaveText(/^(sent|read)$/);
  await done(buyer, seller);
});

test('a message asking to pay off the site warns its recipient, live, and never its sender', async ({ browser, ready }) => {
  const seller = await person(browser, true, 'Sonja', ready);
  const listingUrl = await postListing(seller.page, ready, `Kommode ${Date.now()}`);
  const buyer = await person(browser, true, 'Bodo', ready);
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, 'Ist die Kommode noch da?');
  await seller.page.goto(conversationUrl);
  await ready(seller.page);
  await expect(messages(seller.page, 'Ist die Kommode noch da?')).toHaveCount(1);
  await expect(seller.page.locator('.safety-note')).toHaveCount(0);

  // The seller asks for PayPal Friends and a phone call: the buyer is warned, live.
  const text = 'Ja! Bitte per PayPal Freunde an paypal.me/sonja, Fragen gern an 0176 12345678';
  await seller.page.getByLabel('Deine Nachricht', { exact: true }).fill(text);
  await seller.page.getByRole('button', { name: 'Senden' }).click();
  const received = buyer.page.locator('.message.theirs').filter({ hasText: 'paypal.me/sonja' });
  await expect(received).toHaveCount(1);
  const note = received.getByRole('note');
  await expect(note).toContainText('Sicherheitshinweis');
  await expect(note).toContainText('Bezahle nie per PayPal Freunde');
  await expect(note).toContainText('Dieser Link führt weg von marktchat');
  // The sender sees the message as written, without any of it.
  await expect(seller.page.locator('.message.mine').filter({ hasText: 'paypal.me/sonja' })).toHaveCount(1);
  await expect(seller.page.locator('.safety-note')).toHaveCount(0);
  // And the buyer's page, loaded again, says the same as the live one.
  await buyer.page.reload();
  await ready(buyer.page);
  await expect(buyer.page.locator('.message.theirs .safety-note')).toHaveCount(1);
  await done(seller, buyer);
});
