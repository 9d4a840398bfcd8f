// Screenshots of the directory's "Message" buttons and the admin's rule editor, at
// phone and desktop width, German and English.
// Usage: MARKTCHAT_DATABASE_URL=… node shots-rules.mjs BASE_URL OUT_DIR
// (against a running release server on that database; uses ../target/release/marktchat)
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';

const [base, out] = process.argv.slice(2);
const cli = (...args) => execFileSync('../target/release/marktchat', args, { encoding: 'utf8' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const hydrated = (page) => page.locator('body[data-hydrated="true"]').waitFor();
const PASSWORD = 'correct horse battery';

async function person(locale, name) {
  const context = await browser.newContext({ locale, baseURL: base });
  const page = await context.newPage();
  await page.goto('/register');
  await hydrated(page);
  await page.locator('#email').fill(`${name.toLowerCase()}-${Date.now()}@example.de`);
  await page.locator('#display_name').fill(name);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/profile$/);
  return page;
}

const token = cli('api-client', 'create', '--name', `shots ${Date.now()}`, '--scopes',
  'TAG_RULE_READ,TAG_RULE_WRITE,USER_READ,USER_WRITE').trim().split('\n').pop();
const api = async (method, path, data) => {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: data ? JSON.stringify(data) : undefined,
  });
  return res.json();
};

const buyers = {};
for (const [locale, lang, names] of [['de-DE', 'de', ['Bruno', 'Selma', 'Tara']], ['en-GB', 'en', ['Ben', 'Sarah', 'Tom']]]) {
  const pages = [];
  for (const n of names) pages.push(await person(locale, n));
  buyers[lang] = pages[0];
  const users = (await api('GET', '/sync/users?page_size=1000')).users;
  const id = (n) => users.find((u) => u.display_name === n).user_id;
  await api('POST', '/sync/users/tags', { users: [
    { user_id: id(names[0]), tags: ['Nord'] },
    { user_id: id(names[1]), tags: ['Sued'] },
    { user_id: id(names[2]), tags: ['Nord'] },
  ] });
}
await api('POST', '/sync/interaction-rules', { condition: 'hasTag(Nord)', outcome: ['Nord'], description: 'Nord schreibt Nord' });
await api('PUT', '/sync/settings/interaction-restrictions', { enabled: true });

const adminEmail = `admin-${Date.now()}@example.de`;
cli('user', 'create', '--email', adminEmail, '--name', 'Ada Admin', '--password', PASSWORD, '--admin');

for (const lang of ['de', 'en']) {
  const page = buyers[lang];
  for (const [w, h, tag] of [[390, 844, 'phone'], [1280, 900, 'desktop']]) {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/users');
    await hydrated(page);
    await page.screenshot({ path: `${out}/directory-${lang}-${tag}.png`, fullPage: true });
  }
  const context = await browser.newContext({ locale: lang === 'de' ? 'de-DE' : 'en-GB', baseURL: base });
  const admin = await context.newPage();
  await admin.goto('/login?next=/admin');
  await hydrated(admin);
  await admin.locator('#email').fill(adminEmail);
  await admin.locator('#password').fill(PASSWORD);
  await admin.locator('main button[type=submit]').click();
  await admin.waitForURL(/\/admin$/);
  await hydrated(admin);
  await admin.locator('#rule-condition').pressSequentially('any(hasTag(Nord),, hasTag(West))');
  await admin.locator('#rule-outcome').fill('Sued');
  for (const [w, h, tag] of [[390, 844, 'phone'], [1280, 900, 'desktop']]) {
    await admin.setViewportSize({ width: w, height: h });
    await admin.screenshot({ path: `${out}/admin-typo-${lang}-${tag}.png`, fullPage: true });
  }
  await admin.locator('#rule-condition').fill('any(hasTag(Nord), hasTag(West))');
  await admin.screenshot({ path: `${out}/admin-preview-${lang}-desktop.png`, fullPage: true });
  await context.close();
}
await browser.close();
