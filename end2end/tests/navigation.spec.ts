import { test, expect, uniqueEmail, register, postListing as post, PICTURE } from './fixtures';

// Every navigation is a page load (only islands are hydrated): Back comes back to the
// same place, with and without JavaScript. A gallery picture changes without a history
// entry or a jump once its island is live.

test('after a link, Back returns to the same place', async ({ page, ready }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 390, height: 640 });
  await register(page, ready, uniqueEmail('nav'), 'Nina Navi');
  const word = `Rollbrett${Date.now()}`;
  for (let i = 0; i < 12; i++) await post(page, `${word} Nummer ${i}`);

  await page.goto(`/search?q=${word}`);
  await ready(page);
  await expect(page.locator('.listing-card')).toHaveCount(12);
  const last = page.locator('.listing-card a').last();
  await last.scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(300);
  await last.click();
  await expect(page).toHaveURL(/\/listings\/[0-9a-f-]+$/);
  await ready(page);

  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}$`));
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(scrolled - 5);
  expect(await page.evaluate(() => window.scrollY)).toBeLessThan(scrolled + 5);
});

test('choosing a gallery picture neither jumps nor adds to the history', async ({ page, ready, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'without JavaScript the picture is a page of its own');
  await page.setViewportSize({ width: 390, height: 640 });
  await register(page, ready, uniqueEmail('gallery'), 'Gerd Galerie');
  const id = await post(page, `Zwei Bilder ${Date.now()}`, { image: PICTURE });
  // A second, different picture (the same one twice would be stored once).
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 64;
    c.height = 48;
    const g = c.getContext('2d')!;
    g.fillStyle = '#e11d48';
    g.fillRect(0, 0, 64, 48);
    return c.toDataURL('image/png');
  });
  await post(page, 'Zwei Bilder', { id, image: Buffer.from(dataUrl.split(',')[1], 'base64') });

  await page.goto(`/listings/${id}`);
  await ready(page);
  const thumbs = page.locator('.gallery-thumbs a');
  await expect(thumbs).toHaveCount(2);
  await thumbs.nth(1).scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 40));
  const before = await page.evaluate(() => ({ y: window.scrollY, entries: history.length }));
  await thumbs.nth(1).click();
  await expect(page).toHaveURL(/\?image=1$/);
  await expect(thumbs.nth(1)).toHaveAttribute('aria-current', 'true');
  const after = await page.evaluate(() => ({ y: window.scrollY, entries: history.length }));
  expect(after.entries).toBe(before.entries);
  expect(Math.abs(after.y - before.y)).toBeLessThan(5);
});

test('a page downloads the front end only where scripts run, and only for its islands', async ({ page, ready, javaScriptEnabled }) => {
  const fetched: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/pkg/') && !path.endsWith('.css')) fetched.push(path);
  });
  // Pages with islands: the password check (a lazy chunk), the header's socket, the
  // inbox, the listing form's picture check.
  await register(page, ready, uniqueEmail('pkg'), 'Paula Paket');
  for (const path of ['/register', '/messages', '/listings/new', '/profile']) {
    await page.goto(path);
    await ready(page);
  }
  if (javaScriptEnabled) {
    expect(fetched.some((p) => p.endsWith('.wasm')), 'the islands run').toBe(true);
    expect(fetched.some((p) => p.endsWith('.js')), 'with their glue').toBe(true);
  } else {
    expect(fetched, 'nothing without JavaScript').toEqual([]);
  }
});
