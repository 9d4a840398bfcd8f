// Contact rules in the browser: a user whom the rules forbid sees a disabled "Contact
// seller" with a reason; an admin writes a rule with a typo and sees the error at its
// place with no request to the server, fixes it, watches the preview change and saves;
// the button is then enabled, without a restart. Runs on a server of its own
// (project "rules" in playwright.config.ts): it switches restrictions on.
import { execFileSync } from 'node:child_process';
import { test, expect, uniqueEmail, PASSWORD, watchPage, logIn } from './fixtures';
import { person, done, postListing } from './chat/steps';
import type { Browser } from '@playwright/test';

const BINARY = '../target/release/marktchat';
const cli = (...args: string[]) =>
  execFileSync(BINARY, args, {
    env: { ...process.env, MARKTCHAT_DATABASE_URL: process.env.MARKTCHAT_E2E_RULES_DB },
    encoding: 'utf8',
  });

test('an admin writes a rule in the browser and the forbidden buyer may then write', async ({ browser, page, ready, request }) => {
  // The operator: an admin and a Sync API client.
  const adminEmail = uniqueEmail('admin');
  cli('user', 'create', '--email', adminEmail, '--name', 'Ada Admin', '--password', PASSWORD, '--admin');
  const token = cli('api-client', 'create', '--name', `e2e ${Date.now()}`, '--scopes',
    'TAG_RULE_READ,TAG_RULE_WRITE,USER_READ,USER_WRITE').trim().split('\n').pop()!;
  const api = { Authorization: `Bearer ${token}` };

  const seller = await person(browser, true, 'Selma', ready);
  const buyer = await person(browser, true, 'Bruno', ready);
  const listing = await postListing(seller.page, ready, 'Regal aus Eiche');

  // Their organisation tags them; restrictions on; no rule yet.
  const users = await (await request.get('/sync/users?page_size=1000', { headers: api })).json();
  const id = (name: string) => users.users.find((u: { display_name: string }) => u.display_name === name).user_id;
  const tagged = await request.post('/sync/users/tags', {
    headers: api,
    data: { users: [{ user_id: id('Bruno'), tags: ['Nord'] }, { user_id: id('Selma'), tags: ['Sued'] }] },
  });
  expect(tagged.status()).toBe(200);
  expect((await request.put('/sync/settings/interaction-restrictions', { headers: api, data: { enabled: true } })).status()).toBe(200);

  // The buyer sees the decision before clicking.
  await buyer.page.goto(listing);
  await ready(buyer.page);
  const refused = buyer.page.locator('#contact.contact-refused');
  await expect(refused.getByRole('button', { name: 'Verkäufer kontaktieren' })).toBeDisabled();
  await expect(refused).toContainText('Kontaktregeln');
  await expect(buyer.page.getByText('Nord')).toHaveCount(0);
  // And in the directory: "Message" is disabled, with a short reason.
  await buyer.page.goto('/users?q=Selma');
  await ready(buyer.page);
  const row = buyer.page.locator('.user-list li', { hasText: 'Selma' });
  await expect(row.getByRole('button', { name: 'Nachricht schreiben: Selma' })).toBeDisabled();
  await expect(row).toContainText('Die Kontaktregeln erlauben es nicht');
  // And on her profile: the same disabled "Message" with the reason, never a lone
  // "Send" without a text box.
  await row.getByRole('link', { name: 'Selma' }).first().click();
  await ready(buyer.page);
  const onProfile = buyer.page.locator('#contact.contact-refused');
  await expect(onProfile.getByRole('button', { name: 'Nachricht schreiben' })).toBeDisabled();
  await expect(onProfile).toContainText('Kontaktregeln');
  await expect(buyer.page.getByRole('button', { name: 'Senden' })).toHaveCount(0);

  // The admin writes a rule with a typo: the error appears at its column, with no request.
  await logIn(page, ready, adminEmail, '/admin');
  await ready(page);
  await expect(page.locator('.pairs-before')).toHaveText('0');
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const condition = page.getByLabel('Bedingung', { exact: true });
  await condition.pressSequentially('any(hasTag(Nord),, hasTag(West))');
  await page.getByLabel(/Erreichbare Tags/).fill('Sued');
  const error = page.locator('#rule-condition-error');
  await expect(error).toContainText('Die Bedingung ist nicht lesbar');
  await expect(error.locator('.error-column')).toHaveText('18');
  await expect(error.locator('.caret')).toContainText('^');
  await expect(page.locator('.pairs-gained')).toHaveText('0');
  expect(requests, 'checked in the browser, not on the server').toEqual([]);

  // Fixed: the preview shows the buyer → seller pair gained.
  await condition.fill('any(hasTag(Nord), hasTag(West))');
  await expect(error).toBeEmpty();
  await expect(page.locator('.pairs-after')).toHaveText('1');
  await expect(page.locator('.pairs-gained')).toHaveText('1');
  await expect(page.locator('.matrix td.yes')).toHaveCount(1);
  expect(requests).toEqual([]);
  // The rest by keyboard alone: Tab goes through the form in order, Enter saves.
  await condition.focus();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel(/Erreichbare Tags/)).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Beschreibung (optional)', { exact: true })).toBeFocused();
  await page.keyboard.type('Nord und West schreiben an Süd');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Regel speichern' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/admin\?saved=1$/);
  await expect(page.locator('.rule-list .condition')).toHaveText(['any(hasTag(Nord), hasTag(West))']);

  // The buyer may write now: no restart, just the listing's page again.
  await buyer.page.goto(listing);
  await ready(buyer.page);
  await expect(buyer.page.locator('.contact-refused')).toHaveCount(0);
  await expect(buyer.page.getByLabel('Deine Nachricht an den Verkäufer')).toBeVisible();
  // The directory's "Message" leads to the form on Selma's profile.
  await buyer.page.goto('/users?q=Selma');
  await ready(buyer.page);
  await buyer.page.getByRole('link', { name: 'Nachricht schreiben: Selma' }).click();
  await expect(buyer.page).toHaveURL(/\/users\/[0-9a-f-]+#contact-text$/);
  await expect(buyer.page.getByLabel('Nachricht schreiben', { exact: true })).toBeVisible();
  await done(seller, buyer);
});

/** The admin logged in on /admin, in a browser context of their own. */
async function adminAt(browser: Browser, email: string, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const problems = watchPage(page);
  const ready = async () => {
    if (javaScriptEnabled) await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  };
  await logIn(page, ready, email, '/admin');
  await ready();
  return { context, page, problems, ready };
}

test('the admin forms name every problem at once, with and without JavaScript', async ({ browser }) => {
  const adminEmail = uniqueEmail('admin');
  cli('user', 'create', '--email', adminEmail, '--name', 'Ada Admin', '--password', PASSWORD, '--admin');
  for (const javaScriptEnabled of [true, false]) {
    const { context, page, problems, ready } = await adminAt(browser, adminEmail, javaScriptEnabled);

    // An empty rule: the condition and the outcome say so together.
    const condition = page.getByLabel('Bedingung', { exact: true });
    const outcome = page.getByLabel(/Erreichbare Tags/);
    const save = page.getByRole('button', { name: 'Regel speichern' });
    await save.click();
    await expect(page.locator('#rule-condition-error')).toHaveText('Bitte ausfüllen.');
    await expect(page.locator('#rule-outcome-error')).toContainText('Bitte mindestens einen Tag');
    await expect(condition).toHaveAttribute('aria-invalid', 'true');
    await expect(outcome).toHaveAttribute('aria-invalid', 'true');

    // A typo in both: the parser's caret and the tag's message at once, the text kept.
    await condition.fill('all(hasTag(A)');
    await outcome.fill('B ü');
    await save.click();
    await expect(page.locator('#rule-condition-error .error-column')).toHaveText('14');
    await expect(page.locator('#rule-outcome-error')).toContainText('Ein Tag besteht nur aus');
    await expect(condition).toHaveValue('all(hasTag(A)');
    await expect(outcome).toHaveValue('B ü');

    // "Why can't A contact B": both addresses checked at once.
    await page.getByLabel('E-Mail von A', { exact: true }).fill('nobody@example.de');
    await page.getByLabel('E-Mail von B', { exact: true }).fill('kein-at-zeichen');
    await page.getByRole('button', { name: 'Erklären' }).click();
    await expect(page.locator('#explain-from-error')).toHaveText('Kein Mitglied hat diese E-Mail-Adresse.');
    await expect(page.locator('#explain-to-error')).toHaveText('Das ist keine gültige E-Mail-Adresse.');
    await expect(page.getByLabel('E-Mail von B', { exact: true })).toHaveValue('kein-at-zeichen');

    // An API client without a name and without a scope.
    await page.getByRole('button', { name: 'Client anlegen' }).click();
    await expect(page.locator('#client-name-error')).toHaveText('Bitte ausfüllen.');
    await expect(page.locator('.client-form fieldset .field-error')).toHaveText('Bitte mindestens einen Bereich wählen.');
    expect(problems, `no page errors (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`).toEqual([]);
    await context.close();
  }
});

test('the admin forms show what they did: the explanation, the saved tags, a new token once', async ({ browser }) => {
  const adminEmail = uniqueEmail('admin');
  cli('user', 'create', '--email', adminEmail, '--name', 'Ari Admin', '--password', PASSWORD, '--admin');
  const member = uniqueEmail('getaggt');
  cli('user', 'create', '--email', member, '--name', 'Greta Getaggt', '--password', PASSWORD);
  for (const javaScriptEnabled of [true, false]) {
    const { context, page, problems, ready } = await adminAt(browser, adminEmail, javaScriptEnabled);

    const tag = javaScriptEnabled ? 'Hamburg' : 'Bremen';
    await page.locator('#tags-email').fill(member);
    await page.locator('#tags-list').fill(`${tag}, Kiel`);
    await page.getByRole('button', { name: 'Tags speichern' }).click();
    await expect(page.locator('.tags-saved')).toContainText(`${tag}, Kiel`);

    await page.getByLabel('E-Mail von A', { exact: true }).fill(member);
    await page.getByLabel('E-Mail von B', { exact: true }).fill(adminEmail);
    await page.getByRole('button', { name: 'Erklären' }).click();
    await expect(page.locator('.explanation')).toContainText(`A: ${tag}, Kiel`);

    const client = `sync-${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
    await page.locator('#client-name').fill(client);
    await page.getByRole('checkbox', { name: 'USER_READ' }).check();
    await page.getByRole('button', { name: 'Client anlegen' }).click();
    const token = page.locator('.client-token code.token');
    await expect(token).toHaveText(/\S{20,}/);
    const shown = await token.textContent();
    // It works against the Sync API, and it is shown this once.
    const answer = await page.request.get('/sync/users', { headers: { Authorization: `Bearer ${shown}` } });
    expect(answer.status()).toBe(200);
    await page.reload();
    await ready();
    await expect(page.locator('.client-token')).toHaveCount(0);
    expect(problems, `no page errors (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`).toEqual([]);
    await context.close();
  }
});

test('a rule sent before the page was live comes back as typed and the page then hydrates', async ({ page, ready }) => {
  const adminEmail = uniqueEmail('admin');
  cli('user', 'create', '--email', adminEmail, '--name', 'Ada Admin', '--password', PASSWORD, '--admin');
  await logIn(page, ready, adminEmail, '/admin');
  // The form is sent as a plain post, as when it is sent before the app has loaded; the
  // answer (a redirect back to the form) is then opened with JavaScript on.
  const base = new URL(page.url()).origin;
  const posted = await page.request.post('/api/admin/rules/save', {
    form: { id: '', condition: 'all(hasTag(A)', outcome: 'B ü', description: '' },
    headers: { Accept: 'text/html', Origin: base, Referer: `${base}/admin` },
    maxRedirects: 0,
  });
  expect(posted.status()).toBe(302);
  await page.goto(posted.headers()['location']);
  // The server's answer is rendered as the browser renders it: it hydrates (the
  // fixture fails the test on a hydration warning or error) and keeps what was typed.
  await ready(page);
  await expect(page.locator('#rule-condition-error .error-column')).toHaveText('14');
  await expect(page.locator('#rule-outcome-error')).toContainText('Ein Tag besteht nur aus');
  await expect(page.getByLabel('Bedingung', { exact: true })).toHaveValue('all(hasTag(A)');
  // And it is live: fixing the condition clears its message without a request.
  await page.getByLabel('Bedingung', { exact: true }).fill('hasTag(A)');
  await expect(page.locator('#rule-condition-error')).toBeEmpty();
});
