import { test, expect, uniqueEmail, register, PASSWORD } from './fixtures';

test('a new person registers, logs in, changes name and language, logs out', async ({ page, ready }) => {
  const email = uniqueEmail('anna');
  const name = `Anna ${Date.now() % 100000}`;

  await page.goto('/');
  await ready(page);
  await expect(page).toHaveTitle('marktchat');
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Registrieren' }).click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByRole('heading', { name: 'Konto anlegen' })).toBeVisible();

  // A weak password is refused with a message next to the field.
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByLabel('Anzeigename', { exact: true }).fill(name);
  await page.getByLabel('Passwort', { exact: true }).fill('kurz');
  await page.getByRole('main').getByRole('button', { name: 'Konto anlegen' }).click();
  await expect(page.locator('#password-error')).toHaveText('Bitte mindestens 10 Zeichen.');
  await expect(page.getByLabel('Passwort', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  // The form may have been reloaded (no JavaScript): fill it again, properly.
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByLabel('Anzeigename', { exact: true }).fill(name);
  await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Konto anlegen' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Mein Profil' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
  await expect(nav.getByRole('link', { name: name })).toBeVisible();

  // Log out …
  await nav.getByRole('button', { name: 'Abmelden' }).click();
  await expect(page).toHaveURL(/\/\?logged_out=1$/);
  await expect(page.getByText('Du bist abgemeldet.')).toBeVisible();

  // … and in again, with a wrong password first.
  await nav.getByRole('link', { name: 'Anmelden' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill('not my password');
  await page.getByRole('main').getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('alert')).toHaveText('E-Mail-Adresse oder Passwort stimmt nicht.');
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Anmelden' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText(`Hallo, ${name}!`)).toBeVisible();

  // Change the display name and switch the language to English.
  await nav.getByRole('link', { name: name }).click();
  await expect(page).toHaveURL(/\/profile$/);
  const newName = `${name} B.`;
  await page.getByLabel('Anzeigename', { exact: true }).fill(newName);
  await page.getByLabel('Ort', { exact: true }).fill('Berlin-Kreuzberg');
  await page.getByLabel('Sprache', { exact: true }).selectOption('en');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page).toHaveURL(/\/profile\?saved=profile$/);
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'My profile' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const navEn = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(navEn.getByRole('link', { name: newName })).toBeVisible();
  await expect(page.getByLabel('Display name')).toHaveValue(newName);
  await expect(page.getByLabel('Location')).toHaveValue('Berlin-Kreuzberg');

  // The choice sticks across a reload.
  await page.reload();
  await ready(page);
  await expect(page.getByRole('heading', { level: 1, name: 'My profile' })).toBeVisible();

  await navEn.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/\?logged_out=1$/);
  // Anonymous again: the browser's language (German) applies.
  await expect(page.getByText('Du bist abgemeldet.')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
});

test('a protected page sends you to log in and back', async ({ page, ready, browser }) => {
  const email = uniqueEmail('back');
  const other = await browser.newPage();
  await register(other, async () => {}, email, 'Zurück Kehrer');
  await other.close();

  await page.goto('/profile');
  await ready(page);
  await expect(page).toHaveURL(/\/login\?next=%2Fprofile$/);
  await expect(page.getByText('Bitte melde dich an, um diese Seite zu sehen.')).toBeVisible();
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Anmelden' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Mein Profil' })).toBeVisible();
});

test('the directory finds a member by name', async ({ page, ready, browser }) => {
  const stamp = `${Date.now() % 1000000}${test.info().project.name === 'no-js' ? 'n' : 'h'}`;
  const wanted = `Berta Findmich${stamp}`;
  const other = await browser.newPage();
  await register(other, async () => {}, uniqueEmail('berta'), wanted);
  await other.close();

  await register(page, ready, uniqueEmail('sucher'), `Suchende ${stamp}`);
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Mitglieder' }).click();
  await expect(page).toHaveURL(/\/users$/);
  await page.getByLabel('Nach Namen suchen').fill(`findmich${stamp}`);
  await page.getByRole('button', { name: 'Suchen' }).click();
  await expect(page).toHaveURL(new RegExp(`/users\\?q=findmich${stamp}$`));
  await expect(page.getByText('Gefunden: 1')).toBeVisible();
  // Each person has a "Message" button, named with them for screen readers.
  await expect(page.getByRole('link', { name: `Nachricht schreiben: ${wanted}`, exact: true })).toBeVisible();
  await page.getByRole('link', { name: wanted, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: wanted })).toBeVisible();
  await expect(page.getByText(/Mitglied seit \d+\. \p{L}+ \d{4}/u)).toBeVisible();
});

test('account deletion needs the password and a confirmation', async ({ page, ready }) => {
  const email = uniqueEmail('weg');
  await register(page, ready, email, 'Weg Gehende');
  const danger = page.getByRole('region', { name: 'Konto löschen' });
  await danger.getByLabel('Aktuelles Passwort').fill('wrong password');
  await danger.getByLabel('Ja, ich möchte mein Konto endgültig löschen.').check();
  await danger.getByRole('button', { name: 'Konto endgültig löschen' }).click();
  await expect(page.getByRole('region', { name: 'Konto löschen' }).getByRole('alert')).toHaveText('Das aktuelle Passwort stimmt nicht.');

  const again = page.getByRole('region', { name: 'Konto löschen' });
  await again.getByLabel('Aktuelles Passwort').fill(PASSWORD);
  await again.getByLabel('Ja, ich möchte mein Konto endgültig löschen.').check();
  await again.getByRole('button', { name: 'Konto endgültig löschen' }).click();
  await expect(page).toHaveURL(/\/\?deleted=1$/);
  await expect(page.getByText('Dein Konto wurde gelöscht.')).toBeVisible();

  await page.goto('/login');
  await ready(page);
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('alert')).toHaveText('E-Mail-Adresse oder Passwort stimmt nicht.');
});

test('someone logged in who opens the login or registration page is sent on', async ({ page, ready }) => {
  await register(page, ready, uniqueEmail('sendon'), 'Sina Sendon');
  await page.goto('/login');
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/register?next=/users');
  await expect(page).toHaveURL(/\/users$/);
  await page.goto('/register');
  await expect(page).toHaveURL(/\/profile$/);
});

test('a profile says when its member was last active, unless they hide it', async ({ page, ready, browser }) => {
  await register(page, ready, uniqueEmail('aktiv'), 'Alma Aktiv');
  await page.goto('/profile');
  await ready(page);
  const me = await (await page.request.post('/api/profile/me', {
    headers: { Accept: 'application/json', Origin: new URL(page.url()).origin },
  })).json();
  const visitor = await browser.newPage();
  await visitor.goto(`/users/${me.id}`);
  await ready(visitor);
  await expect(visitor.getByText('Zuletzt aktiv: in den letzten 24 Stunden')).toBeVisible();

  const hide = page.getByLabel('Anderen zeigen, wann ich zuletzt aktiv war');
  await expect(hide).toBeChecked();
  await hide.uncheck();
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page).toHaveURL(/\/profile\?saved=profile$/);
  await expect(page.getByLabel('Anderen zeigen, wann ich zuletzt aktiv war')).not.toBeChecked();
  await expect(page.getByLabel('Anderen zeigen, wie schnell ich meist antworte')).toBeChecked();
  await visitor.reload();
  await ready(visitor);
  await expect(visitor.getByRole('heading', { level: 1, name: 'Alma Aktiv' })).toBeVisible();
  await expect(visitor.getByText(/Zuletzt aktiv/)).toHaveCount(0);
  await visitor.close();
});
