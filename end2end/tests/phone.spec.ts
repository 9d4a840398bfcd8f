// Every page of the router at phone width (390 × 844) and on a wide screen (1280 px),
// logged out, logged in, and as an admin for the admin pages: tap targets of at least
// 24 × 24 px (WCAG 2.2, 2.5.8), no word broken letter by letter, nothing under the help
// chat's button once scrolled to the end, a header of at most two rows whose every
// function is reachable at both widths, and no sideways scroll. The list of pages comes
// from the router itself (`marktchat routes`), with real ids.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test, expect, uniqueEmail, register, logIn, postListing, PASSWORD, PICTURE, watchPage } from './fixtures';
import { contactSeller } from './chat/steps';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { pageProblems, headerHeight, headerFunctions, openHeaderMenus } from './phone-checks';

const BINARY = path.join(__dirname, '..', '..', 'target', 'release', 'marktchat');
const ROUTES = execFileSync(BINARY, ['routes'], { encoding: 'utf8' }).trim().split('\n');
const cli = (...args: string[]) =>
  execFileSync(BINARY, args, {
    env: { ...process.env, MARKTCHAT_DATABASE_URL: `sqlite://${process.env.MARKTCHAT_E2E_DIR}/e2e.db` },
    encoding: 'utf8',
  });

// The header's height at 390 px with its menu closed. One row of controls is about
// 40 px (a button: 0.55rem padding twice, a 1.3 line, its border), two rows with their
// gap and the header's padding about 115 px; the old header's four rows were 160 px.
// 124 px lets a two-row header pass with room for a badge's few pixels and fails any
// third row (≥ 150 px).
const HEADER_MAX = 124;

type Who = { name: string; context: BrowserContext; routes: string[]; ids: Record<string, string> };

/** A stored help-bot chat in which the visitor said `text`, made over the bot's
 * socket as the widget does (in a page of its own, with JavaScript). */
async function storedChat(browser: Browser, text: string) {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  await page.goto('/chat/delete');
  await page.evaluate(
    (text) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/bot/ws');
        let replies = 0;
        ws.onopen = () => ws.send(JSON.stringify({ type: 'start', version: 1, language: 'de', mode: 'stored' }));
        ws.onmessage = (e) => {
          const f = JSON.parse(e.data);
          if (f.type === 'started') ws.send(JSON.stringify({ type: 'say', text }));
          else if (f.type === 'reply' && ++replies === 2) ws.send(JSON.stringify({ type: 'end' }));
          else if (f.type === 'ended') {
            ws.close();
            resolve();
          }
        };
        ws.onerror = () => reject(new Error('the bot socket failed'));
      }),
    text,
  );
  await context.close();
}

test('every page fits a phone: tap targets, words, the help button, the header, no sideways scroll', async ({ page, context, browser, ready, javaScriptEnabled }) => {
  test.setTimeout(300_000);
  expect(ROUTES.length).toBeGreaterThan(10);

  // A member with a listing (with a picture), and an admin who wrote to her about it.
  await register(page, ready, uniqueEmail('phone'), 'Paula Telefon');
  const listingId = await postListing(page, 'Gartenstuhl aus Eichenholz', { image: PICTURE });
  const api = { headers: { Accept: 'application/json', Origin: new URL(page.url()).origin } };
  const member = await (await page.request.post('/api/profile/me', api)).json();
  const adminEmail = uniqueEmail('phone-admin');
  cli('user', 'create', '--email', adminEmail, '--name', 'Arne Admin', '--password', PASSWORD, '--admin');
  const adminContext = await browser.newContext({ locale: 'de-DE' });
  const adminPage = await adminContext.newPage();
  const adminProblems = watchPage(adminPage);
  await logIn(adminPage, ready, adminEmail, '/profile');
  const admin = await (await adminPage.request.post('/api/profile/me', api)).json();
  const conversation = await contactSeller(adminPage, ready, `/listings/${listingId}`,
    'Guten Tag! Ist der Stuhl noch zu haben? Ich könnte ihn am Samstag abholen.');
  const conversationId = new URL(conversation).pathname.split('/').pop()!;

  // Tags for the rules preview's matrix (an API client and the Sync API), which also
  // fill the admin's client list and audit log; a stored help-bot chat.
  const token = cli('api-client', 'create', '--name', `Telefontest ${Date.now()}`, '--scopes', 'USER_READ,USER_WRITE')
    .trim().split('\n').pop()!;
  const tagged = await page.request.post('/sync/users/tags', {
    headers: { Authorization: `Bearer ${token}` },
    data: { users: [
      { user_id: member.id, tags: ['Nordverbund', 'Grosshandel'] },
      { user_id: admin.id, tags: ['Suedverbund'] },
    ] },
  });
  expect(tagged.status()).toBe(200);
  const word = `Gartenbank${Date.now()}`;
  await storedChat(browser, `Ich suche eine ${word} für den Balkon`);
  await adminPage.goto(`/admin/bot?q=${word}`);
  const transcript = await adminPage.locator('.transcript-list a').first().getAttribute('href');
  const transcriptId = transcript!.split('/').pop()!;

  const visitor = await browser.newContext({ locale: 'de-DE' });
  const ids = { listing: listingId, conversation: conversationId, transcript: transcriptId, top: 'home-garden', sub: 'furniture' };
  const people: Who[] = [
    { name: 'logged out', context: visitor, routes: ROUTES, ids: { ...ids, user: member.id } },
    { name: 'logged in', context, routes: ROUTES, ids: { ...ids, user: admin.id } },
    { name: 'admin', context: adminContext, routes: ROUTES.filter((r) => r.startsWith('/admin')), ids: { ...ids, user: member.id } },
  ];
  const concrete = (route: string, ids: Record<string, string>) =>
    route.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name !== 'id') return ids[name];
      if (route.startsWith('/users/')) return ids.user;
      if (route.startsWith('/messages/')) return ids.conversation;
      if (route.startsWith('/admin/bot/chats/')) return ids.transcript;
      return ids.listing;
    });

  // Each problem once, with the pages (and widths) where it was seen.
  const failures = new Map<string, string[]>();
  const fail = (where: string, problem: string) => failures.set(problem, [...(failures.get(problem) ?? []), where]);
  for (const who of people) {
    // What the header offers on a wide screen, and what is reachable at 390 px.
    const functions: Record<number, Set<string>> = { 390: new Set(), 1280: new Set() };
    for (const route of who.routes) {
      const url = concrete(route, who.ids);
      const fresh: Page = await who.context.newPage();
      const problems = watchPage(fresh);
      await fresh.setViewportSize({ width: 390, height: 844 });
      await fresh.goto(url);
      await ready(fresh);
      if (javaScriptEnabled) await fresh.locator('marktchat-widget').waitFor({ state: 'attached' });
      const where = `${who.name} ${url}`;
      const height = await headerHeight(fresh);
      if (height > HEADER_MAX) fail(`${where} at 390 px`, `the header is ${height} px high (at most ${HEADER_MAX})`);
      for (const p of await pageProblems(fresh, { words: true, helpButton: javaScriptEnabled })) fail(`${where} at 390 px`, p);
      // The header's menu, opened as a person does: its entries are targets too.
      if (await openHeaderMenus(fresh)) {
        for (const p of await pageProblems(fresh, { words: false, helpButton: false, within: '.site-header' })) {
          fail(`${where} at 390 px, menu open`, p);
        }
      }
      for (const f of await headerFunctions(fresh)) functions[390].add(f);
      await fresh.setViewportSize({ width: 1280, height: 800 });
      for (const p of await pageProblems(fresh, { words: false, helpButton: false })) fail(`${where} at 1280 px`, p);
      for (const f of await headerFunctions(fresh)) functions[1280].add(f);
      expect(problems, where).toEqual([]);
      await fresh.close();
    }
    const missing = [...functions[1280]].filter((f) => !functions[390].has(f));
    if (missing.length) fail(who.name, `not reachable in the header at 390 px: ${missing.join(', ')}`);
  }
  const report = [...failures].map(([problem, places]) =>
    `${problem}\n    on ${places.length}: ${places.slice(0, 3).join('; ')}${places.length > 3 ? '; …' : ''}`);
  expect(report, report.join('\n')).toEqual([]);
  expect(adminProblems).toEqual([]);
  await visitor.close();
  await adminContext.close();
});
