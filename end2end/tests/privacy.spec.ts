import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import { emailedLink, hydrated, noAxeViolations, ownClient, signUpConfirmed } from './support';

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

test('a customer who objects to audience measurement is no longer measured', async ({ page }, info) => {
  const email = `opposition-${info.project.name}-${Date.now()}@exemple.fr`;
  await ownClient(page, info.project.name, 10);
  await signUpConfirmed(page, email, PASSWORD);
  const seen: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/privacy/visit')) seen.push(request.url());
  });

  // The measurement accepted from the footer link: this page is counted.
  await page.goto('/products');
  await hydrated(page);
  await page.getByRole('link', { name: 'Préférences cookies' }).click();
  const banner = page.getByRole('region', { name: 'Vos choix sur les cookies' });
  const measured = page.waitForRequest((r) => r.url().includes('/api/privacy/visit'));
  await banner.getByRole('button', { name: 'Tout accepter' }).click();
  await measured;

  await page.goto('/account/privacy');
  const panel = page.locator('#objection');
  await expect(panel.getByRole('heading', { name: /M'opposer à la prospection/ })).toBeVisible();
  await panel.getByRole('button', { name: "Je m'y oppose" }).click();
  await expect(panel.getByText(/Opposition enregistrée le/)).toBeVisible();
  await noAxeViolations(page, '#objection');

  // No later page asks to be counted.
  const before = seen.length;
  for (const path of ['/products', '/articles']) {
    await page.goto(path);
    await hydrated(page);
    await page.waitForLoadState('networkidle');
  }
  expect(seen.length).toBe(before);

  // Withdrawn from the same panel.
  await page.goto('/account/privacy');
  await panel.getByRole('button', { name: 'Retirer mon opposition' }).click();
  await expect(panel.getByRole('button', { name: "Je m'y oppose" })).toBeVisible();
});

test('a guest asks for their data by email, opens the link and downloads it', async ({ page }, info) => {
  const email = `invitee-${info.project.name}-${Date.now()}@exemple.fr`;
  await ownClient(page, info.project.name, 11);
  // What the shop then holds under the address: a newsletter request and its email.
  await page.goto('/');
  await page.locator('#newsletter-email').fill(email);
  await page.getByRole('button', { name: "S'inscrire" }).click();
  await expect(page).toHaveURL(/\/newsletter\/check-email$/);

  await page.goto('/privacy/request');
  await expect(page.getByRole('heading', { level: 1, name: 'Mes données, sans compte' })).toBeVisible();
  await noAxeViolations(page);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('button', { name: 'Recevoir le lien' }).click();
  await expect(page.getByRole('status')).toContainText('Si nous conservons des données sous cette adresse');

  const link = emailedLink(email, 'privacy_request');
  await page.goto(link);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByTestId('granted')).toHaveText(email);
  await noAxeViolations(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Télécharger (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^comptoir-donnees-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  expect(data.format).toBe('comptoir-personal-data/1');
  expect(data.newsletter.map((n: { email: string }) => n.email)).toEqual([email]);
  expect(data.emails.map((m: { kind: string }) => m.kind)).toContain('newsletter_confirm');

  // The link worked once.
  await page.goto(link);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('alert')).toContainText("n'est plus valable");
});
