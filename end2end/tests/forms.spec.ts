import { test, expect, uniqueEmail, register } from './fixtures';

// Forms say everything that is wrong at once, next to each field, hydrated and
// without JavaScript alike.

test('the listing form shows every problem in one round', async ({ page, ready }) => {
  await register(page, ready, uniqueEmail('forms'), 'Fiona Form');
  await page.goto('/listings/new');
  await ready(page);
  await page.getByLabel('Titel', { exact: true }).fill('Ab');
  await page.getByLabel('Festpreis').check();
  await page.getByLabel('Betrag in Euro', { exact: true }).fill('-5');
  await page.getByLabel('Postleitzahl', { exact: true }).fill('ABCDE');
  await page.getByLabel('Ort', { exact: true }).fill('K');
  await page.getByRole('button', { name: 'Anzeige speichern' }).click();

  const problems: [string, string][] = [
    ['Titel', 'Bitte mindestens 3 Zeichen.'],
    ['Betrag in Euro', 'Bitte einen Betrag wie 12,50 eingeben.'],
    ['Postleitzahl', 'Eine Postleitzahl hat fünf Ziffern.'],
    ['Ort', 'Bitte mindestens 2 Zeichen.'],
  ];
  for (const [label, message] of problems) {
    const field = page.getByLabel(label, { exact: true });
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    // The message is the field's description, so a screen reader reads it with it.
    await expect(field).toHaveAccessibleDescription(new RegExp(message.replace('.', '\\.')));
  }
  await expect(page.getByText('Bitte eine Kategorie wählen.')).toBeVisible();
  // What was typed is still there, and never in the address (nor so in the history).
  await expect(page.getByLabel('Postleitzahl', { exact: true })).toHaveValue('ABCDE');
  await expect(page).toHaveURL(/\/listings\/new$/);
  expect(await page.evaluate(() => location.search)).toBe('');

  // "VB" with an amount is a price of its own; an amount with "free" is refused.
  await page.getByLabel('Zu verschenken').check();
  await page.getByLabel('Betrag in Euro', { exact: true }).fill('12');
  await page.getByLabel('Titel', { exact: true }).fill('Bücherregal');
  await page.getByLabel('Kategorie', { exact: true }).selectOption('home-garden/furniture');
  await page.getByLabel('Postleitzahl', { exact: true }).fill('10115');
  await page.getByLabel('Ort', { exact: true }).fill('Berlin');
  await page.getByRole('button', { name: 'Anzeige speichern' }).click();
  await expect(page.getByText('„Zu verschenken“ hat keinen Betrag')).toBeVisible();
  await page.getByLabel('Verhandlungssache').check();
  await page.getByLabel('Betrag in Euro', { exact: true }).fill('50');
  await page.getByRole('button', { name: 'Anzeige speichern' }).click();
  await expect(page).toHaveURL(/\/listings\/[0-9a-f-]+\?saved=1$/);
  await expect(page.locator('.listing-head .price')).toHaveText('50 € VB');
});

test('a weak password is refused with the reason, while typing when hydrated', async ({ page, ready, javaScriptEnabled }) => {
  await page.goto('/register');
  await ready(page);
  const password = page.getByLabel('Passwort', { exact: true });
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill('kein-at-zeichen');
  await page.getByLabel('Anzeigename', { exact: true }).fill('X');
  await password.fill('abcdefghij');
  if (javaScriptEnabled) {
    // The same check as the server's, in the browser, before anything is sent.
    await expect(page.locator('.password-verdict')).toContainText('Folgen wie „abcdef“');
    await password.fill('Tulpe Radweg Kompass');
    await expect(page.locator('.password-verdict')).toHaveText('Gut: schwer zu erraten.');
    await password.fill('qwertzuiop');
    await expect(page.locator('.password-verdict')).toContainText('Tastenreihen');
  }
  await page.getByRole('main').getByRole('button', { name: 'Konto anlegen' }).click();
  // Every field's problem at once.
  await expect(page.getByLabel('E-Mail-Adresse', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Anzeigename', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Zu leicht zu erraten').first()).toBeVisible();
});
