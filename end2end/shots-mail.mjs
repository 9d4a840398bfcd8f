// Screenshots of the mail pages and of the mails themselves, at phone (390 × 844) and
// desktop (1280 × 900) width, German and English: the forgotten-password form and its
// answer, the reset page with an expired link, the profile's e-mail section, a
// conversation whose message carries a safety note, and each mail's HTML part as the
// recipient's client would render it.
// Usage: node shots-mail.mjs BASE_URL MAILDIR OUT_DIR
// (against a running release server that sends to an SMTP server writing MAILDIR)
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

const [base, maildir, out] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const PASSWORD = 'correct horse battery';
const SIZES = [[390, 844, 'phone'], [1280, 900, 'desktop']];
const stamp = Date.now();

async function shoot(page, name) {
  for (const [width, height, size] of SIZES) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: path.join(out, `${name}-${size}.png`), fullPage: true });
  }
}

async function person(locale, name) {
  const context = await browser.newContext({ locale, baseURL: base });
  const page = await context.newPage();
  const email = `${name.toLowerCase()}-${stamp}@example.de`;
  await page.goto('/register');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=display_name]').fill(name);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/profile$/);
  return { page, email, context };
}

for (const locale of ['de-DE', 'en-GB']) {
  const lang = locale.slice(0, 2);
  const visitor = await (await browser.newContext({ locale, baseURL: base })).newPage();
  await visitor.goto('/password/forgot');
  await shoot(visitor, `forgot-${lang}`);
  await visitor.goto('/password/forgot?sent=1');
  await shoot(visitor, `forgot-sent-${lang}`);
  await visitor.goto('/password/reset');
  await shoot(visitor, `reset-expired-${lang}`);
  const seller = await person(locale, lang === 'de' ? 'Selma' : 'Sally');
  await seller.page.goto('/profile');
  await seller.page.locator('#email-heading').scrollIntoViewIfNeeded();
  await shoot(seller.page, `profile-email-${lang}`);
  // A buyer asks; the seller answers asking for PayPal Friends: the buyer's note.
  const saved = await seller.page.request.post('/api/listings/save', {
    headers: { Accept: 'application/json', Origin: base },
    multipart: {
      title: lang === 'de' ? 'Kommode aus Kiefer' : 'Pine chest of drawers', description: '-',
      price_kind: 'fixed', price: '80', category: 'home-garden/furniture', postal_code: '10115', city: 'Berlin',
    },
  });
  if (saved.status() !== 200) throw new Error(`save: ${saved.status()} ${await saved.text()}`);
  const listing = await saved.json();
  const buyer = await person(locale, lang === 'de' ? 'Bodo' : 'Bob');
  await buyer.page.goto(`/listings/${listing}`);
  await buyer.page.locator('#contact textarea').fill(lang === 'de' ? 'Ist die Kommode noch da?' : 'Is it still available?');
  await buyer.page.locator('#contact button:not([name=quick])').click();
  await buyer.page.waitForURL(/\/messages\//);
  const conversation = buyer.page.url();
  await seller.page.goto(conversation);
  await seller.page.locator('textarea[name=text]').fill(lang === 'de'
    ? 'Ja! Bitte per PayPal Freunde an paypal.me/selma, Fragen gern an 0176 12345678'
    : 'Yes! Please pay by PayPal Friends and Family to paypal.me/sally, or call +44 7700 900123');
  await seller.page.locator('form.reply-form button:not([name=quick])').first().click();
  await seller.page.waitForTimeout(1000);
  await buyer.page.goto(conversation);
  await shoot(buyer.page, `safety-note-${lang}`);
}

// Each mail's HTML part, rendered.
const files = ['new', 'cur'].flatMap((d) => {
  const dir = path.join(maildir, d);
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
});
let n = 0;
for (const file of files) {
  const raw = fs.readFileSync(file, 'utf8');
  const part = raw.split(/\r?\n--[^\r\n]+\r?\n/).find((p) => /^content-type:\s*text\/html/im.test(p));
  if (!part) continue;
  const split = part.search(/\r?\n\r?\n/);
  const headers = part.slice(0, split);
  let body = part.slice(split).trim();
  const enc = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (enc === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    body = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  const page = await (await browser.newContext()).newPage();
  await page.setContent(body);
  n += 1;
  await shoot(page, `mail-${n}`);
}
await browser.close();
