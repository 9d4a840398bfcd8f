// Screenshots of the chat pages at phone and desktop width, German and English.
// Usage: node shots.mjs BASE_URL OUT_DIR   (against a running release server)
import { chromium } from '@playwright/test';

const [base, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function person(locale, name) {
  const context = await browser.newContext({ locale, baseURL: base });
  const page = await context.newPage();
  const email = `${name.toLowerCase()}-${Date.now()}@example.de`;
  await page.goto('/register');
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.locator('#email').fill(email);
  await page.locator('#display_name').fill(name);
  await page.locator('#password').fill('correct horse battery');
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/profile$/);
  return { context, page };
}

for (const [locale, lang] of [['de-DE', 'de'], ['en-GB', 'en']]) {
  const seller = await person(locale, lang === 'de' ? 'Sabine' : 'Sarah');
  await seller.page.goto('/listings/new');
  await seller.page.locator('body[data-hydrated="true"]').waitFor();
  await seller.page.locator('#title').fill(lang === 'de' ? 'Gemütlicher Ohrensessel' : 'Cosy wing chair');
  await seller.page.locator('input[value="free"]').check();
  await seller.page.locator('#category').selectOption('home-garden/furniture');
  await seller.page.locator('#postal_code').fill('10115');
  await seller.page.locator('#city').fill('Berlin');
  await seller.page.locator('main button[type=submit]').last().click();
  await seller.page.waitForURL(/saved=1/);
  const listing = seller.page.url().replace(/\?saved=1$/, '');
  const buyer = await person(locale, lang === 'de' ? 'Bernd' : 'Ben');
  await buyer.page.goto(listing);
  await buyer.page.locator('body[data-hydrated="true"]').waitFor();
  await buyer.page.locator('#contact-text').fill(lang === 'de' ? 'Hallo! Ist der Sessel noch zu haben? Ich könnte ihn morgen abholen.' : 'Hi! Is the chair still available? I could pick it up tomorrow.');
  await buyer.page.locator('#contact button[type=submit]').click();
  await buyer.page.waitForURL(/\/messages\//);
  const conversation = buyer.page.url();
  await seller.page.goto(conversation);
  await seller.page.locator('body[data-hydrated="true"]').waitFor();
  await seller.page.locator('#text').fill(lang === 'de' ? 'Ja, gerne! Ab 18 Uhr passt es. Adresse: https://example.org/karte' : 'Yes! Any time after 6 pm. Map: https://example.org/map');
  await seller.page.locator('#text').press('Enter');
  await buyer.page.locator('.message.theirs').waitFor();
  for (const [w, h, tag] of [[390, 844, 'phone'], [1280, 900, 'desktop']]) {
    await buyer.page.setViewportSize({ width: w, height: h });
    await buyer.page.screenshot({ path: `${out}/conversation-${lang}-${tag}.png`, fullPage: true });
    await seller.page.setViewportSize({ width: w, height: h });
    await seller.page.goto('/messages');
    await seller.page.locator('body[data-hydrated="true"]').waitFor();
    await seller.page.screenshot({ path: `${out}/inbox-${lang}-${tag}.png`, fullPage: true });
    await seller.page.goBack();
  }
  await buyer.page.goto(listing);
  await buyer.page.setViewportSize({ width: 1280, height: 900 });
  await buyer.page.screenshot({ path: `${out}/listing-${lang}-desktop.png`, fullPage: true });

  // A long conversation opened from the inbox: at the unread line (what the window shows).
  await buyer.page.goto(conversation);
  await buyer.page.locator('body[data-hydrated="true"]').waitFor();
  for (let i = 1; i <= 12; i++) {
    await buyer.page.locator('#text').fill(`${lang === 'de' ? 'Noch eine Frage' : 'One more question'} ${i}: ${'lorem ipsum '.repeat(10)}`);
    await buyer.page.locator('#text').press('Enter');
  }
  await buyer.page.locator('.message.sending').first().waitFor({ state: 'detached' }).catch(() => {});
  await buyer.page.waitForTimeout(1000);
  for (const [w, h, tag] of [[390, 844, 'phone'], [1280, 900, 'desktop']]) {
    await seller.page.setViewportSize({ width: w, height: h });
    await seller.page.goto('/messages');
    await seller.page.locator('.inbox-row a').first().click();
    await seller.page.locator('body[data-hydrated="true"]').waitFor();
    await seller.page.waitForTimeout(300);
    await seller.page.screenshot({ path: `${out}/opened-at-${tag === 'phone' ? 'unread' : 'newest'}-${lang}-${tag}.png` });
  }
  // The blocker's side of a block.
  await seller.page.locator('.conversation-actions summary').click();
  await seller.page.locator('.conversation-actions form').filter({ has: seller.page.locator('input[name=user]') }).locator('button').click();
  await seller.page.locator('.blocked-notice').waitFor();
  await seller.page.setViewportSize({ width: 390, height: 844 });
  await seller.page.evaluate(() => window.scrollTo(0, 0));
  await seller.page.screenshot({ path: `${out}/blocked-${lang}-phone.png` });
  await seller.context.close();
  await buyer.context.close();
}
await browser.close();
