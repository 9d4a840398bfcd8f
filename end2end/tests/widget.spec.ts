// The embeddable help chat (server/widget/) on its demo page, /widget-demo: a made-up
// bike shop whose own CSS is hostile to widgets. Before it is used the widget is a
// button and a closed panel (no socket, no request, no cookie, no storage); then one
// WebSocket to /bot/ws. The frames it sends are read off the socket and checked too.
// The widget is JavaScript: the no-js project does not run this file.
import { test, expect, watchPage } from './fixtures';
import { person, done, postListing } from './chat/steps';
import type { Locator, Page } from '@playwright/test';

const STORE = 'marktchat.bot.codes';
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const GREETING = 'Hallo! Ich bin der Hilfe-Bot von marktchat.';

type Frame = { type: string; [key: string]: unknown };
type Socket = { url: string; sent: Frame[]; received: Frame[]; closed: boolean };

/** Every WebSocket the page opens, with the frames each way. */
function watchSockets(page: Page): Socket[] {
  const sockets: Socket[] = [];
  page.on('websocket', (ws) => {
    const s: Socket = { url: ws.url(), sent: [], received: [], closed: false };
    sockets.push(s);
    ws.on('framesent', (f) => s.sent.push(JSON.parse(String(f.payload))));
    ws.on('framereceived', (f) => s.received.push(JSON.parse(String(f.payload))));
    ws.on('close', () => (s.closed = true));
  });
  return sockets;
}

/** The widget's parts, by role and name (German), as a visitor finds them. */
function widget(page: Page) {
  const panel = page.getByRole('dialog', { name: 'Hilfe-Chat' });
  const log = panel.getByRole('log', { name: 'Chatverlauf' });
  const input = panel.getByRole('textbox', { name: 'Nachricht an den Hilfe-Bot' });
  return {
    launcher: page.getByRole('button', { name: 'Hilfe-Chat öffnen' }),
    panel,
    log,
    input,
    button: (name: string) => panel.getByRole('button', { name, exact: true }),
    /** The bot's bubbles, the visitor's, and the widget's own notes. */
    bot: log.locator('.m.b'),
    mine: log.locator('.m.v'),
    notes: log.locator('.m.s'),
    code: panel.locator('.status .code'),
    status: panel.locator('.status'),
    private: panel.getByRole('checkbox', { name: 'Privat chatten – nichts speichern' }),
    codeInput: panel.getByRole('textbox', { name: 'Code eingeben und löschen' }),
    /** Writes a message and sends it with Enter. */
    say: async (text: string) => {
      await input.fill(text);
      await input.press('Enter');
    },
  };
}

const storedCodes = (page: Page) =>
  page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as string[] | null, STORE);

const focused = (l: Locator) => l.evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el);

test('before it is used, the widget is a button: no socket, no request, no cookie, no storage', async ({ page }) => {
  const sockets = watchSockets(page);
  const requests: string[] = [];
  page.on('request', (r) => r.url().startsWith('http') && requests.push(new URL(r.url()).pathname));
  await page.goto('/widget-demo');
  await page.waitForLoadState('networkidle');
  const w = widget(page);
  await expect(w.launcher).toBeVisible();
  await expect(w.launcher).toHaveAttribute('aria-expanded', 'false');
  await expect(w.panel).toBeHidden();

  // Opening the panel shows what the bot does and how it keeps things; still nothing is sent.
  await w.launcher.click();
  await expect(w.panel).toBeVisible();
  await expect(w.launcher).toHaveAttribute('aria-expanded', 'true');
  await expect(w.input).toBeFocused();
  await expect(w.panel).toContainText('damit die Betreiber die Antworten verbessern können');
  await expect(w.private).not.toBeChecked();
  await expect(w.button('Chat starten')).toBeVisible();
  await page.waitForTimeout(1_500);
  expect(sockets).toEqual([]);
  expect(requests.filter((p) => p.startsWith('/bot'))).toEqual([]);
  expect(requests.sort(), 'only the page, its style and the loader').toEqual(['/widget-demo', '/widget-demo.css', '/widget.js']);
  expect(await page.evaluate(() => document.cookie)).toBe('');
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

  // The shop's hostile CSS stays outside: its own button is pink, the widget's are not,
  // and the widget's text keeps its size while everything on the page is 22px.
  await expect(page.getByRole('button', { name: 'Ein Knopf dieser Seite' })).toHaveCSS('background-color', 'rgb(255, 105, 180)');
  await expect(w.launcher).toHaveCSS('background-color', 'rgb(15, 118, 110)');
  await expect(w.button('Chat starten')).toHaveCSS('font-size', '15px');
  await expect(w.input).toHaveCSS('font-size', '15px');
  await expect(w.button('Chat starten')).not.toHaveCSS('background-color', 'rgb(255, 105, 180)');

  // The close button closes it, focus goes back to the launcher.
  await w.button('Schließen').click();
  await expect(w.panel).toBeHidden();
  await expect(w.launcher).toBeFocused();
  expect(sockets).toEqual([]);
});

test('questions get answers, a quick reply asks the next one, the code is shown and kept', async ({ page }) => {
  const sockets = watchSockets(page);
  await page.goto('/widget-demo');
  const w = widget(page);
  await w.launcher.click();

  // The first message starts the chat: one socket, `start`, then the message.
  await w.say('Wie erstelle ich eine Anzeige?');
  await expect(w.mine.last()).toContainText('Wie erstelle ich eine Anzeige?');
  await expect(w.code).toHaveText(CODE);
  await expect(w.status).toContainText('notiere ihn, um den Verlauf später zu löschen');
  await expect(w.bot.filter({ hasText: GREETING })).toHaveCount(1);
  await expect(w.bot.last()).toContainText('Melde dich an und wähle oben „Anzeige aufgeben“');
  // The greeting comes first, above the question that started the chat.
  await expect(w.log.locator('.m').first()).toContainText(GREETING);
  await expect(w.log.locator('.m').nth(1)).toContainText('Wie erstelle ich eine Anzeige?');
  await expect(w.input).toBeFocused();
  const code = (await w.code.textContent())!;

  await w.say('Ist Vorkasse sicher?');
  await expect(w.bot.last()).toContainText('bei Abholung bar bezahlen');
  await expect(w.input).toBeFocused();
  await w.button('Betrug melden').click();
  await expect(w.mine.last()).toContainText('Betrug melden');
  await expect(w.bot.last()).toContainText('Brich den Kontakt ab und blockiere die Person.');
  await expect(w.button('Betrug melden'), 'answered quick replies go away').toHaveCount(0);
  await expect(w.input).toBeFocused();

  expect(sockets.length).toBe(1);
  expect(new URL(sockets[0].url).pathname).toBe('/bot/ws');
  expect(new URL(sockets[0].url).protocol).toBe('ws:');
  expect(sockets[0].sent).toEqual([
    { type: 'start', version: 1, language: 'de', mode: 'stored' },
    { type: 'say', text: 'Wie erstelle ich eine Anzeige?' },
    { type: 'say', text: 'Ist Vorkasse sicher?' },
    { type: 'choose', intent: 'report-scam' },
  ]);
  // A stored chat's code is remembered for deleting it later; no cookie ever.
  expect(await storedCodes(page)).toEqual([code]);
  expect(await page.evaluate(() => document.cookie)).toBe('');
});

test('the find-a-listing dialog asks what, how much and where, then links to the listing', async ({ page, browser, ready }) => {
  const word = `Kettenrad${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const title = `Fahrrad ${word}`;
  const seller = await person(browser, true, 'Vera', ready);
  const listingUrl = await postListing(seller.page, ready, title); // free, in 10115 Berlin
  await done(seller);

  const sockets = watchSockets(page);
  await page.goto('/widget-demo');
  const w = widget(page);
  await w.launcher.click();
  await w.button('Chat starten').click();
  await expect(w.bot.filter({ hasText: GREETING })).toHaveCount(1);
  await w.button('Anzeige finden').click();
  await expect(w.bot.last()).toContainText('Was suchst du?');
  await w.say(word);
  await expect(w.bot.last()).toContainText('Wie viel darf es höchstens kosten?');
  await w.say('billig');
  await expect(w.bot.last()).toContainText('Das habe ich nicht verstanden.');
  await w.say('bis 50 €');
  await expect(w.bot.last()).toContainText('Wo?');
  await w.say('Berlin');
  await expect(w.bot.last()).toContainText('Das habe ich gefunden:');

  // The dialog's answers travelled with each message, as the server handed them over.
  const says = sockets[0].sent.filter((f) => f.type === 'say');
  expect(says).toEqual([
    { type: 'say', text: word, dialog: {} },
    { type: 'say', text: 'billig', dialog: { what: word } },
    { type: 'say', text: 'bis 50 €', dialog: { what: word } },
    { type: 'say', text: 'Berlin', dialog: { what: word, max_price: '50' } },
  ]);

  const result = w.log.getByRole('link', { name: `${title} – Zu verschenken` });
  await expect(result).toHaveAttribute('href', listingUrl);
  const more = w.log.getByRole('link', { name: 'Mehr Ergebnisse' }).last();
  await expect(more).toHaveAttribute('href', new RegExp(`^${new URL(listingUrl).origin}/search\\?q=${word}&max=50&place=Berlin$`));

  // The dialog is over: the next message goes without it.
  await w.say('Danke');
  await expect(w.bot.last()).toContainText('Gern geschehen!');
  expect(sockets[0].sent.at(-1)).toEqual({ type: 'say', text: 'Danke' });

  // The link opens the listing in a new tab; the chat stays.
  const [tab] = await Promise.all([page.context().waitForEvent('page'), result.click()]);
  const tabProblems = watchPage(tab);
  await expect(tab).toHaveURL(listingUrl);
  await ready(tab);
  await expect(tab.getByRole('heading', { level: 1, name: title })).toBeVisible();
  expect(tabProblems).toEqual([]);
  expect(sockets[0].closed).toBe(false);
});

test('on a phone: a whole search in one sentence, an answer in the language of the question, room to read', async ({ page, browser, ready }) => {
  const word = `Lastenrad${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const seller = await person(browser, true, 'Olga', ready);
  const listingUrl = await postListing(seller.page, ready, `Rad ${word}`); // free, in 10115 Berlin
  await done(seller);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/widget-demo');
  const w = widget(page);
  await w.launcher.click();
  await w.say('Is paying in advance safe?');
  await expect(w.bot.last()).toContainText(/pay cash/i);
  // Every answer the sentence gives at once: the bot searches straight away.
  await w.say(`Ich suche ein ${word} bis 300 Euro in Berlin`);
  await expect(w.bot.last()).toContainText('Das habe ich gefunden:');
  await expect(w.log.getByRole('link', { name: `Rad ${word} – Zu verschenken` })).toHaveAttribute('href', listingUrl);
  // The panel fills the phone's screen; most of it is for the messages.
  const main = await w.panel.locator('.main').boundingBox();
  expect(main!.height, 'the message area').toBeGreaterThan(844 * 0.45);
  const panel = await w.panel.boundingBox();
  expect([panel!.x, panel!.y, panel!.width, panel!.height]).toEqual([0, 0, 390, 844]);
});

test('transcripts are deleted by code, the earlier ones at once, and the one button starts afresh privately', async ({ page }) => {
  const sockets = watchSockets(page);
  await page.goto('/widget-demo');
  const w = widget(page);
  await w.launcher.click();

  // A first stored chat, ended by the visitor.
  await w.say('Hallo');
  await expect(w.code).toHaveText(CODE);
  const first = (await w.code.textContent())!;
  await w.button('Chat beenden').click();
  await expect(w.notes.last()).toHaveText('Der Chat ist beendet.');
  await expect.poll(() => sockets[0].closed).toBe(true);

  // A new one: a second socket, a new code; both codes are remembered.
  await w.button('Neuen Chat starten').click();
  await expect(w.code).not.toHaveText(first);
  await expect(w.code).toHaveText(CODE);
  const second = (await w.code.textContent())!;
  expect(sockets.length).toBe(2);
  expect(await storedCodes(page)).toEqual([first, second]);

  // The first chat's code, typed carelessly: the answer never says whether it existed.
  await w.panel.getByText('Verläufe löschen', { exact: true }).click();
  const sloppy = first.toLowerCase().replace(/-/g, ' ');
  await w.codeInput.fill(`  ${sloppy} `);
  await w.button('Löschen').click();
  await expect(w.notes.last()).toHaveText('Gelöscht. Falls es Verläufe zu diesen Codes gab, sind sie jetzt gelöscht.');
  expect(sockets[1].sent.at(-1)).toEqual({ type: 'delete_codes', codes: [sloppy] });
  expect(await storedCodes(page)).toEqual([second]);
  // Something that is no code at all is refused before it is sent.
  await w.codeInput.fill('K7QM-4XPA');
  await w.button('Löschen').click();
  await expect(w.notes.last()).toContainText('Ein Chat-Code hat 12 Zeichen');
  expect(sockets[1].sent.at(-1)!.type).toBe('delete_codes');

  // End it, start a third: "earlier transcripts" are all but the running chat's.
  await w.button('Chat beenden').click();
  await w.button('Neuen Chat starten').click();
  await expect(w.code).not.toHaveText(second);
  const third = (await w.code.textContent())!;
  await w.button('Frühere Verläufe löschen').click();
  await expect(w.notes.last()).toContainText('Gelöscht.');
  expect(sockets[2].sent.at(-1)).toEqual({ type: 'delete_codes', codes: [second] });
  expect(await storedCodes(page)).toEqual([third]);
  await w.say('Wird der Chat gespeichert?');
  await expect(w.bot.last()).toContainText('Du entscheidest');

  // The one button: this chat ends and is deleted, a private one starts on the same socket.
  await w.button('Beenden, löschen und privat neu starten').click();
  await expect(w.code).not.toHaveText(third);
  await expect(w.code).toHaveText(CODE);
  await expect(w.status).toContainText('privat: nichts wird gespeichert');
  await expect(w.private).toBeChecked();
  await expect(w.bot).toHaveCount(1);
  await expect(w.bot.first()).toContainText(GREETING);
  await expect(w.mine).toHaveCount(0);
  await expect(w.notes.last()).toHaveText('Der vorige Chat ist beendet und gelöscht. Dieser Chat ist privat.');
  expect(sockets.length).toBe(3);
  expect(sockets[2].sent.at(-1)).toEqual({ type: 'forget' });
  expect(await storedCodes(page), 'a private chat leaves no code behind').toBeNull();

  // Switching modes is one frame each way; a chat switched to stored is remembered.
  await w.private.uncheck();
  await expect(w.notes.last()).toHaveText('Ab jetzt wird der Chat gespeichert.');
  await expect(w.status).toContainText('notiere ihn');
  expect(sockets[2].sent.at(-1)).toEqual({ type: 'set_mode', mode: 'stored' });
  expect(await storedCodes(page)).toEqual([(await w.code.textContent())!]);
});

test('a code is deleted without starting a chat', async ({ page }) => {
  const sockets = watchSockets(page);
  await page.goto('/widget-demo');
  const w = widget(page);
  await w.launcher.click();
  await w.panel.getByText('Verläufe löschen', { exact: true }).click();
  await w.codeInput.fill('K7QM-4XPA-92TD');
  await w.codeInput.press('Enter');
  await expect(w.notes.last()).toHaveText('Gelöscht. Falls es Verläufe zu diesen Codes gab, sind sie jetzt gelöscht.');
  await expect.poll(() => sockets[0]?.closed).toBe(true);
  expect(sockets.length).toBe(1);
  expect(sockets[0].sent).toEqual([{ type: 'delete_codes', codes: ['K7QM-4XPA-92TD'] }]);
  await expect(w.code).toHaveCount(0);
  await expect(w.button('Chat starten')).toBeVisible();
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
});

test('keyboard only: open, ask, take a quick reply, close, the one button, delete by code, end', async ({ page }) => {
  await page.goto('/widget-demo');
  const w = widget(page);
  // The widget comes last on the page: Tab through the shop's links to it.
  for (let i = 0; i < 40 && !(await focused(w.launcher)); i++) await page.keyboard.press('Tab');
  await expect(w.launcher).toBeFocused();
  await expect(w.launcher).toHaveCSS('outline-style', 'solid');
  await page.keyboard.press('Enter');
  await expect(w.panel).toBeVisible();
  await expect(w.input).toBeFocused();
  await page.keyboard.type('Ist Vorkasse sicher?');
  await page.keyboard.press('Enter');
  await expect(w.bot.last()).toContainText('bei Abholung bar bezahlen');
  await expect(w.input).toBeFocused();
  // The answer's quick replies come just before the input.
  await page.keyboard.press('Shift+Tab');
  await expect(w.button('Sicher treffen')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(w.bot.last()).toContainText('Trefft euch tagsüber an einem belebten Ort');
  await expect(w.input).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(w.panel).toBeHidden();
  await expect(w.launcher).toBeFocused();
  await expect(w.launcher).toHaveAttribute('aria-expanded', 'false');
  // Closing the panel does not end the chat.
  await page.keyboard.press('Enter');
  await expect(w.bot.last()).toContainText('Trefft euch tagsüber');
  await expect(w.code).toHaveText(CODE);
  const first = (await w.code.textContent())!;

  // Tab (never the mouse) to a control: at most `limit` presses from where focus is.
  const tabTo = async (target: Locator, key = 'Tab') => {
    for (let i = 0; i < 12 && !(await focused(target)); i++) await page.keyboard.press(key);
    await expect(target).toBeFocused();
  };
  // The one button, by keyboard: a new private chat, focus back in the input.
  await tabTo(w.button('Beenden, löschen und privat neu starten'));
  await page.keyboard.press('Enter');
  await expect(w.status).toContainText('privat: nichts wird gespeichert');
  await expect(w.code).not.toHaveText(first);
  await expect(w.input).toBeFocused();
  // Deleting by code, by keyboard: open "Verläufe löschen", type a code, Enter.
  await tabTo(w.panel.locator('summary'));
  await page.keyboard.press('Enter');
  await tabTo(w.codeInput);
  await page.keyboard.type('K7QM-4XPA-92TD');
  await page.keyboard.press('Enter');
  await expect(w.notes.last()).toHaveText('Gelöscht. Falls es Verläufe zu diesen Codes gab, sind sie jetzt gelöscht.');
  // Ending the chat, by keyboard: the button goes away and focus moves to the start button.
  await tabTo(w.button('Chat beenden'), 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(w.notes.last()).toHaveText('Der Chat ist beendet.');
  await expect(w.button('Neuen Chat starten')).toBeFocused();
});

test('on another website: English, on the left, in its colour, there once though loaded twice', async ({ page, baseURL }) => {
  // A page of another origin (answered by the test itself) embeds the widget from the server.
  const shop = new URL('/a-shop', baseURL);
  shop.hostname = 'localhost';
  const embed = (attributes: string) => `<script src="${baseURL}/widget.js" async ${attributes}></script>`;
  let body = embed('data-position="left" data-colour="rebeccapurple"').repeat(2);
  await page.route(shop.href, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>A shop</title></head><body><h1>A shop</h1>${body}</body></html>`,
    }),
  );
  // Chromium asks before a public page reaches a loopback address; the test's page counts as public.
  await page.context().grantPermissions(['local-network-access']);
  const sockets = watchSockets(page);
  await page.goto(shop.href);
  const launcher = page.getByRole('button', { name: 'Open help chat' });
  await expect(launcher).toBeVisible();
  await expect(page.locator('marktchat-widget')).toHaveCount(1);
  await expect(launcher).toHaveCSS('background-color', 'rgb(102, 51, 153)');
  expect((await launcher.boundingBox())!.x).toBeLessThan(100);
  await launcher.click();
  const panel = page.getByRole('dialog', { name: 'Help chat' });
  const input = panel.getByRole('textbox', { name: 'Message to the help bot' });
  await panel.getByRole('checkbox', { name: 'Chat privately – store nothing' }).check();
  await input.fill('Is paying in advance safe?');
  await input.press('Enter');
  await expect(panel.locator('.m.b').last()).toContainText('pay cash on collection');
  await expect(panel.locator('.status')).toContainText('private: nothing is stored');
  expect(sockets.map((s) => s.url)).toEqual([`${baseURL!.replace(/^http/, 'ws')}/bot/ws`]);
  expect(sockets[0].sent[0]).toEqual({ type: 'start', version: 1, language: 'en', mode: 'private' });
  expect(await page.evaluate(() => localStorage.length), 'a private chat is not remembered').toBe(0);

  // A colour that is no colour is not used (nor written into the style); the default is.
  body = embed('data-colour="red;}*{color:red"');
  await page.goto(shop.href);
  await expect(launcher).toHaveCSS('background-color', 'rgb(15, 118, 110)');
  expect((await launcher.boundingBox())!.x).toBeGreaterThan(200);
});
