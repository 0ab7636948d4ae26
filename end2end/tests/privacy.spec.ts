import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

function emailedLink(to: string): string {
  const db = path.join(process.env.E2E_DB_DIR!, 'e2e.db');
  const body = execFileSync('sqlite3', [
    db,
    `SELECT body_text FROM email_outbox WHERE to_address = '${to}' AND kind = 'account_verify' ORDER BY id DESC LIMIT 1`,
  ]).toString();
  const link = body.match(/https?:\/\/\S+token=\S+/);
  expect(link, body).not.toBeNull();
  const url = new URL(link![0]);
  return url.pathname + url.search;
}

const PASSWORD = 'Glycines-bleues-sous-la-pluie';

test('a customer downloads their data, then deletes the account after typing the password', async ({ page }, info) => {
  const email = `donnees-${info.project.name}-${Date.now()}@exemple.fr`;
  await page.goto('/account/sign-up');
  await page.getByLabel('Prénom').fill('Zéphyrine');
  await page.getByLabel('Nom', { exact: true }).fill('Quintalbert');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Vérifiez votre boîte mail' })).toBeVisible();
  await page.goto(emailedLink(email));
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page).toHaveURL(/\/account$/);

  await page.getByRole('link', { name: /Mes données personnelles/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mes données personnelles' })).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

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
