// Screenshots of the help bot: the widget on /widget-demo (closed, open, chatting, the
// listing dialog's result, a private chat) and on the site's own start page, the page
// /chat/delete, and the admin's statistics and transcripts; at phone and desktop
// width, German and English.
// Usage: MARKTCHAT_DATABASE_URL=… node shots-bot.mjs BASE_URL OUT_DIR
// (against a running release server on that database; uses ../target/release/marktchat)
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';

const [base, out] = process.argv.slice(2);
const cli = (...args) => execFileSync('../target/release/marktchat', args, { encoding: 'utf8' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const PASSWORD = 'correct horse battery';
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 860 } };
const T = {
  de: { open: 'Hilfe-Chat öffnen', dialog: 'Hilfe-Chat', msg: 'Nachricht an den Hilfe-Bot', q1: 'Wie erstelle ich eine Anzeige?', q2: 'Ist Vorkasse sicher?', find: 'Anzeige suchen', what: 'Fahrrad', price: '200', where: 'Berlin', priv: 'Privat chatten – nichts speichern', forget: 'Beenden, löschen und privat neu starten', del: 'Verläufe löschen' },
  en: { open: 'Open help chat', dialog: 'Help chat', msg: 'Message to the help bot', q1: 'How do I post a listing?', q2: 'Is paying in advance safe?', find: 'Help me find a listing', what: 'bike', price: '200', where: 'Berlin', priv: 'Chat privately – store nothing', forget: 'End, delete and restart privately', del: 'Delete transcripts' },
};

async function shot(page, name) {
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: false });
  console.log(`${out}/${name}.png`);
}

const adminEmail = `bot-admin-${Date.now()}@example.de`;
cli('user', 'create', '--email', adminEmail, '--name', 'Ada Admin', '--password', PASSWORD, '--admin');

for (const lang of ['de', 'en']) {
  const t = T[lang];
  for (const [size, viewport] of Object.entries(SIZES)) {
    const context = await browser.newContext({ locale: lang == 'de' ? 'de-DE' : 'en-GB', baseURL: base, viewport });
    // A page fulfilled by the script counts as public to Chromium, which then asks before
    // it reaches a loopback address (see widget.spec.ts).
    await context.grantPermissions(['local-network-access']);
    const page = await context.newPage();
    const panel = page.getByRole('dialog', { name: t.dialog });
    const input = panel.getByRole('textbox', { name: t.msg });
    const say = async (text) => {
      await input.fill(text);
      await input.press('Enter');
      await page.waitForTimeout(400);
    };
    // The demo page embeds the widget in German; for English its embed line says so.
    await page.route('**/widget-demo', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('data-language="de"></script>', `data-language="${lang}"></script>`);
      await route.fulfill({ response, body });
    });
    await page.goto('/widget-demo');
    await shot(page, `${lang}-${size}-demo-closed`);
    await page.getByRole('button', { name: t.open }).click();
    await shot(page, `${lang}-${size}-demo-open`);
    await say(t.q1);
    await say(t.q2);
    await shot(page, `${lang}-${size}-demo-chat`);
    await say(t.find);
    await say(t.what);
    await say(t.price);
    await say(t.where);
    await shot(page, `${lang}-${size}-demo-results`);
    await panel.getByRole('button', { name: t.forget }).click();
    await page.waitForTimeout(400);
    await panel.getByText(t.del, { exact: true }).click();
    await shot(page, `${lang}-${size}-demo-private`);

    // The site's own pages embed the same widget.
    await page.goto('/');
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.getByRole('button', { name: t.open }).click();
    await shot(page, `${lang}-${size}-home-widget`);

    await page.goto('/chat/delete');
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.locator('#code').fill('K7QM-4XPA');
    await page.locator('main button[type=submit]').click();
    await page.waitForTimeout(400);
    await shot(page, `${lang}-${size}-chat-delete-error`);
    await page.locator('#code').fill('k7qm 4xpa 92td');
    await page.locator('main button[type=submit]').click();
    await page.waitForTimeout(400);
    await shot(page, `${lang}-${size}-chat-delete-done`);

    await page.goto('/login?next=/admin/bot');
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.locator('#email').fill(adminEmail);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('main button[type=submit]').click();
    await page.waitForURL(/\/admin\/bot$/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${out}/${lang}-${size}-admin-bot.png`, fullPage: true });
    console.log(`${out}/${lang}-${size}-admin-bot.png`);
    const first = page.locator('.transcript-list a').first();
    if (await first.count()) {
      await first.click();
      await page.waitForTimeout(500);
      await shot(page, `${lang}-${size}-admin-transcript`);
    }
    await context.close();
  }
}
await browser.close();
