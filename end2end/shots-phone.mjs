// Screenshots of the main pages at phone (390 × 844) and desktop (1280 × 900) width,
// German and English, logged in: start page, a listing, the inbox, a conversation, the
// profile, and as an admin the rules page with its preview matrix, the help bot's
// statistics and a transcript; the header's menu opened on the phone.
// Usage: MARKTCHAT_DATABASE_URL=… node shots-phone.mjs BASE_URL OUT_DIR
// (against a running release server on that database; uses ../target/release/marktchat)
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const [base, out] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
const cli = (...args) => execFileSync('../target/release/marktchat', args, { encoding: 'utf8' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const hydrated = (page) => page.locator('body[data-hydrated="true"]').waitFor();
const PASSWORD = 'correct horse battery';
const SIZES = [[390, 844, 'phone'], [1280, 900, 'desktop']];
const stamp = Date.now();

async function context(locale) {
  const context = await browser.newContext({ locale, baseURL: base });
  return context.newPage();
}

async function register(locale, name) {
  const page = await context(locale);
  await page.goto('/register');
  await hydrated(page);
  await page.locator('#email').fill(`${name.toLowerCase()}-${stamp}@example.de`);
  await page.locator('#display_name').fill(name);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/profile$/);
  return page;
}

/** Every size of `path` (or of the page as it is, without `path`). */
async function shoot(page, name, path, before) {
  for (const [w, h, tag] of SIZES) {
    await page.setViewportSize({ width: w, height: h });
    if (path) {
      await page.goto(path);
      await hydrated(page);
    }
    if (before) await before(page, tag);
    await page.screenshot({ path: `${out}/${name}-${tag}.png`, fullPage: true });
    // Long phone pages also in screen-high slices, to look at them at full size.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0, i = 1; tag === 'phone' && height > h && y < height && i <= 6; y += h, i++) {
      const clip = { x: 0, y, width: w, height: Math.min(h, height - y) };
      await page.screenshot({ path: `${out}/${name}-${tag}-${i}.png`, fullPage: true, clip });
    }
  }
}

const token = cli('api-client', 'create', '--name', `shots ${stamp}`, '--scopes', 'USER_READ,USER_WRITE')
  .trim().split('\n').pop();
const users = async () => (await (await fetch(`${base}/sync/users?page_size=1000`, { headers: { Authorization: `Bearer ${token}` } })).json()).users;
const tag = (data) => fetch(`${base}/sync/users/tags`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  body: JSON.stringify(data),
});

for (const [locale, lang] of [['de-DE', 'de'], ['en-GB', 'en']]) {
  const de = lang === 'de';
  const seller = await register(locale, de ? 'Sabine' : 'Sarah');
  await seller.goto('/listings/new');
  await hydrated(seller);
  await seller.locator('#title').fill(de ? 'Gartenstuhl aus Eichenholz' : 'Oak garden chair');
  await seller.locator('#description').fill(de ? 'Gut erhalten, wetterfest geölt. Abholung in Berlin-Mitte.' : 'Good condition, oiled against the weather. Pick-up in Berlin-Mitte.');
  await seller.locator('input[value="fixed"]').check();
  await seller.locator('#price').fill('35');
  await seller.locator('#category').selectOption('home-garden/furniture');
  await seller.locator('#postal_code').fill('10115');
  await seller.locator('#city').fill('Berlin');
  await seller.locator('main button[type=submit]').last().click();
  await seller.waitForURL(/saved=1/);
  const listing = new URL(seller.url()).pathname;

  const adminEmail = `admin-${lang}-${stamp}@example.de`;
  cli('user', 'create', '--email', adminEmail, '--name', de ? 'Arne Admin' : 'Alex Admin', '--password', PASSWORD, '--admin');
  const admin = await context(locale);
  await admin.goto('/login');
  await hydrated(admin);
  await admin.locator('#email').fill(adminEmail);
  await admin.locator('#password').fill(PASSWORD);
  await admin.locator('main button[type=submit]').click();
  await admin.waitForURL((u) => !u.pathname.startsWith('/login'));
  if (!de) {
    await admin.goto('/profile');
    await hydrated(admin);
    await admin.locator('#language').selectOption('en');
    await admin.locator('main form button[type=submit]').first().click();
    await admin.waitForURL(/saved=profile/);
  }
  await admin.goto(listing);
  await hydrated(admin);
  await admin.locator('#contact-text').fill(de ? 'Guten Tag! Ist der Stuhl noch zu haben? Ich könnte ihn am Samstag abholen.' : 'Hello! Is the chair still available? I could pick it up on Saturday.');
  await admin.locator('#contact button[type=submit]:not([name=quick])').click();
  await admin.waitForURL(/\/messages\//);
  const conversation = new URL(admin.url()).pathname;
  await seller.goto(conversation);
  await hydrated(seller);
  await seller.locator('#text').fill(de ? 'Ja, gerne! Samstag ab 10 Uhr passt.' : 'Yes! Saturday from 10 am is fine.');
  await seller.locator('#text').press('Enter');
  await seller.locator('.message.mine').nth(0).waitFor();

  const all = await users();
  const id = (name) => all.find((u) => u.display_name === name).user_id;
  await tag({ users: [
    { user_id: id(de ? 'Sabine' : 'Sarah'), tags: ['Nordverbund', 'Grosshandel'] },
    { user_id: id(de ? 'Arne Admin' : 'Alex Admin'), tags: ['Suedverbund'] },
  ] });

  await shoot(seller, `start-${lang}`, '/', async (page, size) => {
    const menu = page.locator('.site-header details > summary');
    if (size === 'phone' && (await menu.count())) {
      await menu.click();
      await page.screenshot({ path: `${out}/start-${lang}-phone-menu.png` });
      await menu.click();
    }
  });
  await shoot(seller, `listing-${lang}`, listing);
  await shoot(seller, `inbox-${lang}`, '/messages');
  await shoot(seller, `conversation-${lang}`, conversation);
  await shoot(seller, `profile-${lang}`, '/profile');
  await shoot(admin, `admin-rules-${lang}`, '/admin');
  await shoot(admin, `admin-bot-${lang}`, '/admin/bot', async (page) => {
    const table = page.locator('.stats-table > summary');
    if (await table.count()) await table.click();
  });
  const visitor = await context(locale);
  await shoot(visitor, `start-visitor-${lang}`, '/');
  await shoot(visitor, `login-${lang}`, '/login');
}
await browser.close();
