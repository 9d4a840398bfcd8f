import fs from 'node:fs';
import path from 'node:path';
import { test, expect, uniqueEmail, register, postListing, logIn, PASSWORD } from './fixtures';
import type { Page } from '@playwright/test';

const PICTURE = path.join(__dirname, 'files', 'stuhl.png');

async function logOut(page: Page) {
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('button', { name: 'Abmelden' }).click();
  await expect(page).toHaveURL(/\/\?logged_out=1$/);
}

async function searchFor(page: Page, ready: (p: Page) => Promise<void>, words: string) {
  await page.goto('/search');
  await ready(page);
  await page.getByLabel('Suchbegriffe', { exact: true }).fill(words);
  await page.getByRole('search').getByRole('button', { name: 'Suchen' }).click();
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${words}`));
}

test('a seller posts with a picture, a buyer watches it, the seller deactivates it', async ({ page, ready }) => {
  const word = `Zebrastuhl${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const title = `Holzstuhl ${word}`;
  const sellerEmail = uniqueEmail('seller');

  // The seller posts a listing with a picture.
  await register(page, ready, sellerEmail, 'Sabine Seller');
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Anzeige aufgeben' }).click();
  await expect(page).toHaveURL(/\/listings\/new$/);
  await ready(page);
  // A mistake first: the message appears next to the field.
  await page.getByLabel('Titel', { exact: true }).fill('St');
  await page.getByLabel('Kategorie', { exact: true }).selectOption('home-garden/furniture');
  await page.getByLabel('Postleitzahl', { exact: true }).fill('10115');
  await page.getByLabel('Ort', { exact: true }).fill('Berlin');
  await page.getByRole('button', { name: 'Anzeige speichern' }).click();
  await expect(page.getByText('Bitte mindestens 3 Zeichen.')).toBeVisible();
  await expect(page.getByLabel('Titel', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // What was typed is still there (without JavaScript the page was loaded anew).
  await expect(page.getByLabel('Postleitzahl', { exact: true })).toHaveValue('10115');
  await expect(page.getByLabel('Kategorie', { exact: true })).toHaveValue('home-garden/furniture');

  // Phones show the number keyboard for amounts and postal codes.
  await expect(page.getByLabel('Betrag in Euro', { exact: true })).toHaveAttribute('inputmode', 'decimal');
  await expect(page.getByLabel('Postleitzahl', { exact: true })).toHaveAttribute('inputmode', 'numeric');

  // Fill it in properly.
  await page.getByLabel('Titel', { exact: true }).fill(title);
  await page.getByLabel('Beschreibung', { exact: true }).fill(`Stabiler Stuhl aus Eiche. Stichwort ${word}.`);
  await page.getByLabel('Festpreis').check();
  await page.getByLabel('Betrag in Euro', { exact: true }).fill('25');
  await page.getByLabel('Kategorie', { exact: true }).selectOption('home-garden/furniture');
  await page.getByLabel('Postleitzahl', { exact: true }).fill('10115');
  await page.getByLabel('Ort', { exact: true }).fill('Berlin');
  await page.getByLabel('Bilder hinzufügen').setInputFiles(PICTURE);
  await page.getByRole('button', { name: 'Anzeige speichern' }).click();
  await expect(page).toHaveURL(/\/listings\/[0-9a-f-]+\?saved=1$/);
  await expect(page.getByText('Die Anzeige ist gespeichert.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('25 €').first()).toBeVisible();
  const picture = page.locator('.gallery-main img');
  await expect(picture).toBeVisible();
  // Visible can come before loaded: wait for the picture itself.
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : -1))).toBe(48);
  const listingUrl = page.url().replace(/\?saved=1$/, '');

  // It is on the start page and found by a word from its description.
  await page.goto('/');
  await ready(page);
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  await searchFor(page, ready, word);
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  await expect(page.locator('.result-count')).toHaveText('1 Anzeige');
  await logOut(page);

  // A second person finds it and puts it on their watch list.
  await register(page, ready, uniqueEmail('buyer'), 'Bernd Buyer');
  await searchFor(page, ready, word);
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sabine Seller' })).toBeVisible();
  await ready(page);
  await page.getByRole('button', { name: 'Merken', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Nicht mehr merken' })).toBeVisible();
  await page.goto('/profile');
  await ready(page);
  await page.getByRole('navigation', { name: 'Bereiche des Profils' }).getByRole('link', { name: 'Merkliste' }).click();
  await expect(page).toHaveURL(/\/profile\?section=watch-list$/);
  const watchList = page.locator('#watch-list');
  await expect(watchList.getByRole('link', { name: title })).toBeVisible();
  await logOut(page);

  // The seller deactivates it: it leaves the search results.
  await logIn(page, ready, sellerEmail);
  await page.goto(listingUrl);
  await ready(page);
  await page.getByRole('button', { name: 'Deaktivieren' }).click();
  await expect(page).toHaveURL(/\?status=inactive$/);
  await expect(page.locator('.listing-head .badge')).toHaveText('Deaktiviert');
  await expect(page.getByRole('button', { name: 'Wieder aktivieren' })).toBeVisible();
  await searchFor(page, ready, word);
  await expect(page.getByText('Keine Anzeigen gefunden.', { exact: false })).toBeVisible();
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);
  // In the profile's listings it is marked "Deaktiviert".
  await page.goto('/profile?section=listings');
  await ready(page);
  const row = page.locator('#my-listings .listing-row').filter({ hasText: title });
  await expect(row.getByRole('link', { name: title })).toBeVisible();
  await expect(row).toContainText('Deaktiviert');
});

test('search filters live in the URL and survive a reload', async ({ page, ready }) => {
  await page.goto('/search?q=nichtsdergleichen&min=10&max=20&place=80&sort=price_desc');
  await ready(page);
  await expect(page.getByLabel('Suchbegriffe', { exact: true })).toHaveValue('nichtsdergleichen');
  await expect(page.getByLabel('Preis ab (€)')).toHaveValue('10');
  await expect(page.getByLabel('Sortierung')).toHaveValue('price_desc');
  await expect(page.getByText('Keine Anzeigen gefunden.', { exact: false })).toBeVisible();
  // A wrong price is explained next to its field.
  await page.getByLabel('Preis bis (€)').fill('5');
  await page.getByRole('search').getByRole('button', { name: 'Suchen' }).click();
  await expect(page.getByText('Der Höchstpreis liegt unter dem Mindestpreis.')).toBeVisible();
  // Category pages.
  await page.goto('/c/home-garden');
  await ready(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Haus & Garten' })).toBeVisible();
});

test('the search box on the start page leads to the results for the words', async ({ page, ready }) => {
  const title = `Startseitenlampe ${Date.now() % 100000}`;
  await register(page, ready, uniqueEmail('startsuche'), 'Stella Start');
  await postListing(page, title);
  await page.goto('/');
  await ready(page);
  const search = page.getByRole('main').getByRole('search');
  await search.getByLabel('Suchbegriffe', { exact: true }).fill(title);
  await search.getByRole('button', { name: 'Suchen' }).click();
  await expect(page).toHaveURL(/\/search\?q=Startseitenlampe\+\d+$/);
  await expect(page.getByRole('main').getByText(title)).toBeVisible();
  await expect(page.getByLabel('Suchbegriffe', { exact: true })).toHaveValue(title);

  // Nothing typed: every listing.
  await page.goto('/');
  await ready(page);
  await page.getByRole('main').getByRole('search').getByRole('button', { name: 'Suchen' }).click();
  await expect(page).toHaveURL(/\/search(\?q=)?$/);
  await expect(page.getByRole('main').locator('.listing-card').first()).toBeVisible();
});

test('more pictures than a listing may have are refused, and nothing is saved', async ({ page, ready, javaScriptEnabled }) => {
  await register(page, ready, uniqueEmail('many'), 'Mia Viele');
  await page.goto('/listings/new');
  await ready(page);
  await page.getByLabel('Titel', { exact: true }).fill('Fotoalbum mit vielen Bildern');
  await page.getByLabel('Festpreis').check();
  await page.getByLabel('Betrag in Euro', { exact: true }).fill('5');
  await page.getByLabel('Kategorie', { exact: true }).selectOption('home-garden/furniture');
  await page.getByLabel('Postleitzahl', { exact: true }).fill('80331');
  await page.getByLabel('Ort', { exact: true }).fill('München');
  const picture = fs.readFileSync(PICTURE);
  const eleven = Array.from({ length: 11 }, (_, n) => ({ name: `bild-${n + 1}.png`, mimeType: 'image/png', buffer: picture }));
  await page.getByLabel('Bilder hinzufügen').setInputFiles(eleven);
  const uploads: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/listings/save')) uploads.push(r.method());
  });
  await page.getByRole('button', { name: 'Anzeige speichern' }).click();
  await expect(page.getByText('Höchstens 10 Bilder pro Anzeige.')).toBeVisible();
  // With JavaScript the browser checks the shared limit itself and sends nothing;
  // without it the server refuses the post and the form shows the same message.
  expect(uploads).toEqual(javaScriptEnabled ? [] : ['POST']);
  await page.goto('/profile?section=listings');
  await ready(page);
  await expect(page.locator('#my-listings').getByText('Du hast noch keine Anzeigen.')).toBeVisible();
});

test('a listing form that was sent cannot be sent again while it uploads', async ({ page, ready, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'without JavaScript the browser alone decides');
  await register(page, ready, uniqueEmail('doppelt'), 'Dora Doppelt');
  await page.goto('/listings/new');
  await ready(page);
  await page.getByLabel('Titel', { exact: true }).fill('Kommode, nur einmal');
  await page.getByLabel('Festpreis').check();
  await page.getByLabel('Betrag in Euro', { exact: true }).fill('40');
  await page.getByLabel('Kategorie', { exact: true }).selectOption('home-garden/furniture');
  await page.getByLabel('Postleitzahl', { exact: true }).fill('80331');
  await page.getByLabel('Ort', { exact: true }).fill('München');
  // Sent: the button is disabled at once (the post itself is held back here, by a
  // listener after the page's own, so the page stays to be looked at).
  await page.evaluate(() => window.addEventListener('submit', (e) => e.preventDefault()));
  const save = page.getByRole('button', { name: 'Anzeige speichern' });
  await save.click();
  await expect(save).toBeDisabled();
  // Back to the form from the next page (the browser keeps it as it was): usable again.
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  await expect(save).toBeEnabled();
});

test('the profile is in parts; one\'s own listings come as compact rows, 20 to a page', async ({ page, ready }) => {
  test.setTimeout(60_000);
  await register(page, ready, uniqueEmail('pages'), 'Paula Pages');
  for (let i = 1; i <= 21; i++) await postListing(page, `Schallplatte Nummer ${i}`);
  await page.goto('/profile');
  await ready(page);
  // The settings are at the top of their own part, not below the listings.
  await expect(page.getByLabel('Anzeigename', { exact: true })).toBeVisible();
  await expect(page.locator('.listing-row')).toHaveCount(0);
  const parts = page.getByRole('navigation', { name: 'Bereiche des Profils' });
  await expect(parts.getByRole('link', { name: 'Einstellungen' })).toHaveAttribute('aria-current', 'page');
  await parts.getByRole('link', { name: 'Meine Anzeigen' }).click();
  await expect(page).toHaveURL(/\/profile\?section=listings$/);
  await expect(parts.getByRole('link', { name: 'Meine Anzeigen' })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('.listing-row')).toHaveCount(20);
  // Newest first: number 21 on the first page, number 1 on the second.
  await expect(page.getByRole('link', { name: 'Schallplatte Nummer 21', exact: true })).toBeVisible();
  await expect(page.getByText('Seite 1 von 2')).toBeVisible();
  await page.getByRole('link', { name: 'Nächste Seite' }).click();
  await expect(page).toHaveURL(/section=listings&page=2$/);
  await expect(page.locator('.listing-row')).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'Schallplatte Nummer 1', exact: true })).toBeVisible();
});
