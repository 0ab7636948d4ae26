import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import { noAxeViolations, signUpConfirmed } from './support';

const PASSWORD = 'Glycines-bleues-sous-la-pluie';

test('a customer downloads their data, then deletes the account after typing the password', async ({ page }, info) => {
  const email = `donnees-${info.project.name}-${Date.now()}@exemple.fr`;
  await signUpConfirmed(page, email, PASSWORD, { firstName: 'Zéphyrine', lastName: 'Quintalbert' });

  await page.getByRole('link', { name: /Mes données personnelles/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mes données personnelles' })).toBeVisible();
  await noAxeViolations(page);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Télécharger (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^comptoir-donnees-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  expect(data.format).toBe('comptoir-personal-data/1');
  expect(data.profile.email).toBe(email);
  expect(data.profile.password_hash).toBeUndefined();

  // A wrong password is refused and nothing is deleted.
  await page.getByLabel('Mot de passe actuel').fill('pas-le-bon-mot-de-passe');
  await page.getByRole('checkbox', { name: /suppression est définitive/ }).check();
  await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(page.getByRole('alert')).toContainText(/mot de passe/i);

  await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
  await page.getByRole('checkbox', { name: /suppression est définitive/ }).check();
  await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(page).toHaveURL(/\/account\/deleted$/);
  await expect(page.getByRole('heading', { name: 'Votre compte a été supprimé' })).toBeVisible();

  // Signed out, and the account is gone.
  await page.goto('/account');
  await expect(page).toHaveURL(/\/account\/sign-in/);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/account\/sign-in/);
});
