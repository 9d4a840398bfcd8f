// Deleting a help-bot transcript by its chat code on /chat/delete, hydrated and without
// JavaScript: a stored chat (made over the bot's socket, as the widget does) is in the
// admin's transcript list; the visitor types its code carelessly and it is gone; a code
// that never existed gets the very same answer; something that is no code is refused
// at the field.
import { execFileSync } from 'node:child_process';
import { test, expect, uniqueEmail, PASSWORD, watchPage, logIn } from './fixtures';
import type { Browser, Page } from '@playwright/test';

const BINARY = '../target/release/marktchat';
const DONE = 'Erledigt. Falls zu diesem Code ein Verlauf gespeichert war, ist er jetzt gelöscht.';

/** A stored chat in which the visitor said `text`: its code. Made in a page of its own. */
async function storedChat(browser: Browser, text: string): Promise<string> {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  await page.goto('/chat/delete'); // any page of the site, for its origin
  const code = await page.evaluate(
    (text) =>
      new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/bot/ws');
        let code = '';
        let replies = 0; // the greeting, then the answer
        ws.onopen = () => ws.send(JSON.stringify({ type: 'start', version: 1, language: 'de', mode: 'stored' }));
        ws.onmessage = (e) => {
          const f = JSON.parse(e.data);
          if (f.type === 'started') {
            code = f.code;
            ws.send(JSON.stringify({ type: 'say', text }));
          } else if (f.type === 'reply' && ++replies === 2) {
            ws.send(JSON.stringify({ type: 'end' }));
          } else if (f.type === 'ended') {
            ws.close();
            resolve(code);
          }
        };
        ws.onerror = () => reject(new Error('the bot socket failed'));
      }),
    text,
  );
  await context.close();
  return code;
}

/** An admin's page (JavaScript on), logged in. */
async function admin(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const email = uniqueEmail('bot-admin');
  execFileSync(BINARY, ['user', 'create', '--email', email, '--name', 'Bodo Admin', '--password', PASSWORD, '--admin'], {
    env: { ...process.env, MARKTCHAT_DATABASE_URL: `sqlite://${process.env.MARKTCHAT_E2E_DIR}/e2e.db` },
    encoding: 'utf8',
  });
  const context = await browser.newContext({ javaScriptEnabled: true, locale: 'de-DE' });
  const page = await context.newPage();
  const problems = watchPage(page);
  const hydrated = async (p: Page) => expect(p.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await logIn(page, hydrated, email, '/admin/bot');
  return {
    page,
    close: async () => {
      expect(problems).toEqual([]);
      await context.close();
    },
  };
}

/** The admin's transcript list for a search. */
async function transcripts(page: Page, q: string) {
  await page.goto(`/admin/bot?q=${encodeURIComponent(q)}`);
  await expect(page.getByRole('heading', { name: 'Gespeicherte Verläufe' })).toBeVisible();
  return page.locator('.transcript-list li');
}

test('a transcript is deleted by its code, typed carelessly, without an account', async ({ page, browser, ready }) => {
  const word = `Zaunpfahl${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const code = await storedChat(browser, `Ich suche einen ${word}`);
  expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  const boss = await admin(browser);
  await expect(await transcripts(boss.page, word)).toHaveCount(1);

  await page.goto('/chat/delete');
  await ready(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Chat-Verlauf löschen' })).toBeVisible();
  const field = page.getByLabel('Chat-Code', { exact: true });
  const submit = page.getByRole('button', { name: 'Verlauf löschen' });

  // Not a code: the field says so, and nothing is deleted.
  await field.fill('K7QM-4XPA');
  await submit.click();
  await expect(page.locator('.field-error')).toHaveText('Ein Chat-Code hat 12 Buchstaben und Ziffern, z. B. K7QM-4XPA-92TD.');
  await expect(await transcripts(boss.page, word)).toHaveCount(1);

  // The code in lower case, with spaces for dashes and O for 0, I for 1: deleted.
  await page.goto('/chat/delete');
  await ready(page);
  const careless = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'i');
  await field.fill(careless);
  await submit.click();
  await expect(page.getByText(DONE)).toBeVisible();
  await expect(await transcripts(boss.page, word)).toHaveCount(0);
  await expect(boss.page.getByText('Keine gespeicherten Verläufe.')).toBeVisible();

  // A code nobody has: word for word the same answer.
  await page.goto('/chat/delete');
  await ready(page);
  await field.fill('K7QM-4XPA-92TD');
  await submit.click();
  await expect(page.getByText(DONE)).toBeVisible();
  await boss.close();
});
