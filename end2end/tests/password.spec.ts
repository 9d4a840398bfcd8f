import fs from 'node:fs';
import path from 'node:path';
import { test, expect, uniqueEmail, register, watchPage, PASSWORD } from './fixtures';
import type { Page } from '@playwright/test';

/**
 * A forgotten password, as a person goes through it: the login page's link, the form,
 * the mail (from the test command's throwaway SMTP server, scripts/lib.sh), the link,
 * a new password, logged in; the old password and the link are dead afterwards.
 */
const MAILDIR = process.env.MARKTCHAT_E2E_MAILDIR;
const NEW_PASSWORD = 'ein ganz neues Geheimnis';

/** The body of a mail's text/plain part, decoded. */
function plainText(raw: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const part = parts.find((p) => /^content-type:\s*text\/plain/im.test(p)) ?? raw;
  const split = part.search(/\r?\n\r?\n/);
  const headers = part.slice(0, split);
  const body = part.slice(split).trim();
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** Waits for the mail to `address` in the SMTP server's Maildir; its plain text. */
async function mailTo(address: string): Promise<string> {
  let text = '';
  await expect
    .poll(
      () => {
        for (const dir of ['new', 'cur']) {
          const folder = path.join(MAILDIR!, dir);
          if (!fs.existsSync(folder)) continue;
          for (const file of fs.readdirSync(folder)) {
            const raw = fs.readFileSync(path.join(folder, file), 'utf8');
            if (new RegExp(`^To:.*${address.replace(/[.+]/g, '\\$&')}`, 'im').test(raw)) {
              text = plainText(raw);
              return true;
            }
          }
        }
        return false;
      },
      { message: `a mail to ${address}`, timeout: 20_000 },
    )
    .toBe(true);
  return text;
}

async function loginFails(page: Page, ready: (p: Page) => Promise<void>, email: string, password: string) {
  await page.goto('/login');
  await ready(page);
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(password);
  await page.getByRole('main').getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('alert')).toContainText('E-Mail-Adresse oder Passwort');
}

test('a forgotten password: a mailed link, a new password, logged in; the old one and the link are dead', async ({ page, browser, ready, javaScriptEnabled }) => {
  expect(MAILDIR, 'needs the SMTP server that ./scripts/test.sh starts (MARKTCHAT_E2E_MAILDIR)').toBeTruthy();
  const email = uniqueEmail('vergessen');
  // Logged in somewhere else: that session ends with the reset.
  const elsewhere = await browser.newContext({ javaScriptEnabled, locale: 'de-DE' });
  const old = await elsewhere.newPage();
  await register(old, ready, email, 'Vera Vergesslich');

  await page.goto('/login');
  await ready(page);
  await page.getByRole('link', { name: 'Passwort vergessen?' }).click();
  await expect(page).toHaveURL(/\/password\/forgot$/);
  await ready(page);
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByRole('main').getByRole('button', { name: 'Link schicken' }).click();
  await expect(page).toHaveURL(/\/password\/forgot\?sent=1$/);
  await expect(page.getByRole('status')).toContainText('Wenn ein Konto diese Adresse hat');

  const text = await mailTo(email);
  expect(text).toContain('Hallo Vera Vergesslich');
  const link = /(http\S+\/password\/reset\?token=[0-9a-f]+)/.exec(text)![1];
  await page.goto(link);
  // The token has left the address bar (history, Referer, logs).
  await expect(page).toHaveURL(/\/password\/reset$/);
  await ready(page);
  // It names the account (masked), so nobody resets someone else's by a link they got.
  await expect(page.getByRole('main')).toContainText(`Für das Konto v•••@${email.split('@')[1]}`);
  await page.getByLabel('Neues Passwort', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Passwort speichern und anmelden' }).click();
  await expect(page).toHaveURL(/\/profile\?saved=password$/);
  await expect(page.getByRole('status')).toContainText('Dein Passwort wurde geändert');

  // The other session has ended.
  await old.goto('/profile');
  await expect(old).toHaveURL(/\/login\?next=/);
  await elsewhere.close();

  // The old password no longer works; the new one does; the link is dead.
  const other = await browser.newContext({ javaScriptEnabled, locale: 'de-DE' });
  const p = await other.newPage();
  const problems = watchPage(p);
  await loginFails(p, ready, email, PASSWORD);
  await p.getByLabel('Passwort', { exact: true }).fill(NEW_PASSWORD);
  await p.getByRole('main').getByRole('button', { name: 'Anmelden' }).click();
  await expect(p).toHaveURL(/\/$/);
  await p.goto(link);
  await expect(p).toHaveURL(/\/password\/reset$/);
  await ready(p);
  await expect(p.getByRole('alert')).toContainText('abgelaufen oder wurde schon benutzt');
  await expect(p.getByRole('link', { name: 'Neuen Link anfordern' })).toBeVisible();
  expect(problems).toEqual([]);
  await other.close();
});
