import fs from 'node:fs';
import path from 'node:path';
import { test, expect, uniqueEmail, register, PASSWORD } from './fixtures';

/**
 * A new e-mail address, as a person changes it: the profile's form (with the
 * password), the link in the mail to the new address, the page that asks, the button;
 * the old address gets a notice. Mails come from the test command's SMTP server.
 */
const MAILDIR = process.env.MARKTCHAT_E2E_MAILDIR;

/** The raw mails to `address` so far. */
function mailsTo(address: string): string[] {
  const out: string[] = [];
  for (const dir of ['new', 'cur']) {
    const folder = path.join(MAILDIR!, dir);
    if (!fs.existsSync(folder)) continue;
    for (const file of fs.readdirSync(folder)) {
      const raw = fs.readFileSync(path.join(folder, file), 'utf8');
      if (new RegExp(`^To:.*${address.replace(/[.+]/g, '\\$&')}`, 'im').test(raw)) out.push(raw);
    }
  }
  return out;
}

/** The confirmation link in a raw mail (its text part may be quoted-printable). */
function linkIn(raw: string): string {
  const flat = raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
  return /(http\S+\/email\/confirm\?token=[0-9a-f]+)/.exec(flat)![1];
}

test('a new e-mail address counts once confirmed through the mailed link; the old one is told', async ({ page, browser, ready, javaScriptEnabled }) => {
  expect(MAILDIR, 'needs the SMTP server that ./scripts/test.sh starts (MARKTCHAT_E2E_MAILDIR)').toBeTruthy();
  const old = uniqueEmail('alt');
  const fresh = uniqueEmail('neu');
  await register(page, ready, old, 'Nele Neuadresse');
  await page.getByLabel('Neue E-Mail-Adresse', { exact: true }).fill(fresh);
  await page.locator('#email-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Bestätigungslink schicken' }).click();
  await expect(page).toHaveURL(/\/profile\?saved=email$/);
  await expect(page.getByRole('status')).toContainText('Wir haben einen Link an die neue Adresse geschickt');

  await expect.poll(() => mailsTo(fresh).length, { timeout: 20_000 }).toBe(1);
  await expect.poll(() => mailsTo(old).length, { timeout: 20_000 }).toBe(1);
  const link = linkIn(mailsTo(fresh)[0]);
  expect(mailsTo(old)[0]).not.toContain('/email/confirm');

  // Opened on another device: the page asks; the button confirms.
  const other = await browser.newContext({ javaScriptEnabled, locale: 'de-DE' });
  const phone = await other.newPage();
  await phone.goto(link);
  await expect(phone).toHaveURL(/\/email\/confirm$/);
  await ready(phone);
  await expect(phone.getByRole('main')).toContainText(fresh);
  await phone.getByRole('button', { name: 'Adresse bestätigen' }).click();
  await expect(phone).toHaveURL(/\/email\/confirm\?done=1$/);
  await expect(phone.getByRole('status')).toContainText('Deine neue E-Mail-Adresse gilt');
  await other.close();

  // The profile names the new login.
  await page.goto('/profile');
  await ready(page);
  await expect(page.locator('#email-heading').locator('xpath=..')).toContainText(fresh);
});
