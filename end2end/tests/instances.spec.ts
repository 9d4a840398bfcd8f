// Three instances of one installation (PostgreSQL, NATS, S3; see cluster.ts), in real
// browsers: the project `instances` (playwright.config.ts) runs this file, hydrated,
// when the test command provides the database and the programs.
import path from 'node:path';
import { test, expect, uniqueEmail, register, watchPage } from './fixtures';
import { messages } from './chat/steps';
import { Cluster } from './cluster';
import type { Browser, Page } from '@playwright/test';

const PICTURE = path.join(__dirname, 'files', 'stuhl.png');

test.describe.configure({ mode: 'serial' });

let cluster: Cluster;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await Cluster.start(['A', 'B', 'C']);
});

test.afterAll(async () => {
  await cluster?.stop();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) {
    await info.attach('server logs', { body: cluster.logs(), contentType: 'text/plain' });
  }
});

/** A person in their own browser context, registered on the instance at `base`. */
async function personOn(browser: Browser, base: string, name: string, ready: (p: Page) => Promise<void>) {
  const context = await browser.newContext({ baseURL: base, locale: 'de-DE' });
  const page = await context.newPage();
  const problems = watchPage(page);
  await register(page, ready, uniqueEmail(name.toLowerCase()), name);
  return { context, page, problems };
}

/** Marks the page, to tell later that it was not loaded again. */
const mark = (page: Page) => page.evaluate(() => ((window as any).__notReloaded = true));
const stillMarked = (page: Page) => page.evaluate(() => (window as any).__notReloaded === true);

test('buyer on one instance and seller on another: live both ways, pictures, a NATS outage and a crash', async ({ browser, ready }) => {
  test.setTimeout(120_000);
  const [A, B, C] = ['A', 'B', 'C'].map((n) => cluster.instance(n).url);
  expect(new Set([A, B, C]).size).toBe(3);

  // The seller posts a listing with a picture through B.
  const seller = await personOn(browser, B, 'Sabine', ready);
  const title = `Kommode ${Date.now()}`;
  await seller.page.goto('/listings/new');
  await ready(seller.page);
  await seller.page.getByLabel('Titel', { exact: true }).fill(title);
  await seller.page.getByLabel('Zu verschenken', { exact: true }).check();
  await seller.page.getByLabel('Kategorie', { exact: true }).selectOption('home-garden/furniture');
  await seller.page.getByLabel('Postleitzahl', { exact: true }).fill('10115');
  await seller.page.getByLabel('Ort', { exact: true }).fill('Berlin');
  await seller.page.getByLabel('Bilder hinzufügen').setInputFiles(PICTURE);
  await seller.page.getByRole('button', { name: 'Anzeige speichern' }).click();
  await expect(seller.page).toHaveURL(/\/listings\/[0-9a-f-]+\?saved=1$/);
  const listingPath = new URL(seller.page.url()).pathname;

  // The buyer, on A, sees that picture: A has no file of it, the object store has.
  const buyer = await personOn(browser, A, 'Bernd', ready);
  await buyer.page.goto(listingPath);
  await ready(buyer.page);
  const picture = buyer.page.locator('.gallery-main img');
  await expect(picture).toBeVisible();
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : -1))).toBe(48);
  expect(await picture.getAttribute('src')).not.toContain('://');

  // The seller waits on B's inbox; the buyer writes on A: the badge on B counts it, live.
  await seller.page.goto('/messages');
  await ready(seller.page);
  await mark(seller.page);
  await buyer.page.getByLabel('Deine Nachricht an den Verkäufer').fill('Ist die Kommode noch da?');
  await buyer.page.locator('#contact').getByRole('button', { name: 'Senden' }).click();
  await expect(buyer.page).toHaveURL(/\/messages\/[0-9a-f-]+$/);
  const conversationPath = new URL(buyer.page.url()).pathname;
  await ready(buyer.page);
  await expect(seller.page.locator('.unread-total')).toContainText('1');
  expect(await stillMarked(seller.page), 'the badge came live, not by a reload').toBe(true);

  // Both in the conversation, on their instances: messages cross live both ways.
  await seller.page.goto(conversationPath);
  await ready(seller.page);
  await expect(messages(seller.page, 'Ist die Kommode noch da?')).toHaveCount(1);
  await mark(seller.page);
  await mark(buyer.page);
  await seller.page.getByLabel('Deine Nachricht', { exact: true }).fill('Ja, noch da.');
  await seller.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(buyer.page, 'Ja, noch da.')).toHaveCount(1);
  await buyer.page.getByLabel('Deine Nachricht', { exact: true }).fill('Super, ich komme morgen.');
  await buyer.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(seller.page, 'Super, ich komme morgen.')).toHaveCount(1);

  // NATS stops for 5 s mid-conversation: what the buyer writes meanwhile reaches the
  // seller once NATS is back, exactly once, without a reload.
  await cluster.natsOutage(5_000, async () => {
    await buyer.page.getByLabel('Deine Nachricht', { exact: true }).fill('Schreibe ich, während NATS weg ist.');
    await buyer.page.getByRole('button', { name: 'Senden' }).click();
    await expect(messages(buyer.page, 'Schreibe ich, während NATS weg ist.')).toHaveCount(1);
  });
  await expect(messages(seller.page, 'Schreibe ich, während NATS weg ist.')).toHaveCount(1, { timeout: 20_000 });
  await expect(messages(buyer.page, 'Schreibe ich, während NATS weg ist.')).toHaveCount(1);
  // And the live path works again.
  await seller.page.getByLabel('Deine Nachricht', { exact: true }).fill('Angekommen.');
  await seller.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(buyer.page, 'Angekommen.')).toHaveCount(1);
  expect(await stillMarked(seller.page), 'the seller\'s page was not reloaded').toBe(true);
  expect(await stillMarked(buyer.page), 'the buyer\'s page was not reloaded').toBe(true);

  // Instance A dies (SIGKILL): on C the buyer is still logged in, the conversation whole.
  await cluster.instance('A').proc.stop('SIGKILL');
  await buyer.page.goto(`${C}${conversationPath}`);
  await ready(buyer.page);
  const all = ['Ist die Kommode noch da?', 'Ja, noch da.', 'Super, ich komme morgen.', 'Schreibe ich, während NATS weg ist.', 'Angekommen.'];
  for (const text of all) await expect(messages(buyer.page, text)).toHaveCount(1);
  await expect(buyer.page.locator('.message')).toHaveCount(all.length);
  // Live on C too.
  await buyer.page.getByLabel('Deine Nachricht', { exact: true }).fill('Jetzt über C.');
  await buyer.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(seller.page, 'Jetzt über C.')).toHaveCount(1);

  // The buyer's page on A lost its server: its failed socket is expected there only.
  const deadA = new URL(A).host;
  for (const p of [buyer, seller]) {
    expect(p.problems.filter((m) => !m.includes(deadA)), 'no page errors').toEqual([]);
    await p.context.close();
  }
});
