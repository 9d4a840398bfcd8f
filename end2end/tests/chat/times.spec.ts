// Times are shown on each reader's own clock: the browser's time zone (told by the
// page's script), a zone chosen in the profile over it, Europe/Berlin before either is
// known (so without JavaScript until the profile says otherwise). Server-rendered
// times and those of messages arriving live agree.
import { test, expect } from '../fixtures';
import type { Page } from '@playwright/test';
import { person, done, postListing, contactSeller, messages } from './steps';

/** "HH:MM" of an ISO instant on the clock of `timeZone`. */
const clock = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

/** "7. Dezember 2026" of an ISO instant in `timeZone`. */
const longDate = (iso: string, timeZone: string) => {
  const parts = new Intl.DateTimeFormat('de-DE', { timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
  return parts;
};

/** Every message's time on the page matches `timeZone`'s clock, and so does its day. */
async function timesAreIn(page: Page, timeZone: string, text: string) {
  const time = messages(page, text).locator('time');
  await expect(time).toHaveCount(1);
  const iso = await time.getAttribute('datetime');
  expect(iso, 'each time says its instant').toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
  await expect(time).toHaveText(clock(iso!, timeZone));
  await expect(page.locator('.day-separator').last()).toHaveText(longDate(iso!, timeZone));
}

async function chooseZone(page: Page, ready: (p: Page) => Promise<void>, zone: string) {
  await page.goto('/profile');
  await ready(page);
  await page.getByLabel('Zeitzone', { exact: true }).selectOption(zone);
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page).toHaveURL(/\/profile\?saved=profile$/);
  await expect(page.getByLabel('Zeitzone', { exact: true })).toHaveValue(zone);
}

test('each reader sees times on their own clock', async ({ browser, ready, javaScriptEnabled: js }) => {
  test.setTimeout(90_000);
  // Zones far from UTC and from each other, so that no two show the same hour.
  const seller = await person(browser, js, 'Tamara', ready, 'America/New_York');
  const listingUrl = await postListing(seller.page, ready, `Kommode ${Date.now()}`);
  const buyer = await person(browser, js, 'Tim', ready, 'Asia/Tokyo');
  const first = 'Wann kann ich die Kommode abholen?';
  const conversationUrl = await contactSeller(buyer.page, ready, listingUrl, first);

  // With JavaScript the browser's zone counts from the page after its first; without,
  // nothing tells the server, so it is Europe/Berlin.
  await timesAreIn(buyer.page, js ? 'Asia/Tokyo' : 'Europe/Berlin', first);
  await seller.page.goto(conversationUrl);
  await ready(seller.page);
  await timesAreIn(seller.page, js ? 'America/New_York' : 'Europe/Berlin', first);

  // The profile's zone wins over the browser's.
  await chooseZone(seller.page, ready, 'Asia/Kolkata');
  await seller.page.goto(conversationUrl);
  await ready(seller.page);
  await timesAreIn(seller.page, 'Asia/Kolkata', first);

  // A message arriving live is formatted in the browser (its Intl), the same way.
  const answer = 'Samstag ab zehn passt.';
  await seller.page.getByLabel('Deine Nachricht', { exact: true }).fill(answer);
  await seller.page.getByRole('button', { name: 'Senden' }).click();
  await expect(messages(seller.page, answer)).toHaveCount(1);
  await timesAreIn(seller.page, 'Asia/Kolkata', answer);
  if (js) {
    await expect(messages(buyer.page, answer)).toHaveCount(1);
  } else {
    await buyer.page.reload();
  }
  await timesAreIn(buyer.page, js ? 'Asia/Tokyo' : 'Europe/Berlin', answer);

  // The inbox too.
  await buyer.page.goto('/messages');
  await ready(buyer.page);
  const when = buyer.page.locator('time.when').first();
  const iso = (await when.getAttribute('datetime'))!;
  await expect(when).toContainText(clock(iso, js ? 'Asia/Tokyo' : 'Europe/Berlin'));
  await done(buyer, seller);
});

test('a time zone the server does not know is refused at the field', async ({ browser, ready, javaScriptEnabled: js }) => {
  const someone = await person(browser, js, 'Zora', ready);
  await someone.page.goto('/profile');
  await ready(someone.page);
  // A forged choice (the list offers only known zones).
  await someone.page.getByLabel('Zeitzone', { exact: true }).evaluate((select: HTMLSelectElement) => {
    select.add(new Option('Europe/Atlantis', 'Europe/Atlantis'));
    select.value = 'Europe/Atlantis';
  });
  await someone.page.getByRole('button', { name: 'Speichern' }).click();
  await expect(someone.page.getByText('Diese Zeitzone kennen wir nicht.')).toBeVisible();
  await done(someone);
});
