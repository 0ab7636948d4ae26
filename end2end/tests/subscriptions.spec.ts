import { test, expect } from '@playwright/test';
import { hydrated, noAxeViolations, signUpConfirmed, sql } from './support';

const PASSWORD = 'vert-galet-lune-38';

test('a customer subscribes every two months, finds it in the account and cancels before the deadline', async ({ page }, info) => {
  test.slow();
  const email = `abo-${info.project.name}-${Date.now()}@exemple.fr`;

  // An account, confirmed by the emailed link.
  await signUpConfirmed(page, email, PASSWORD);

  // Subscribe on the product page.
  await page.goto('/products/magnesium-marin-b6');
  await hydrated(page);
  await page.getByLabel('Livraison', { exact: true }).selectOption('2');
  await page.getByRole('button', { name: "S'abonner", exact: true }).click();
  await expect(page.locator('.subscribe__status')).toContainText('Abonnement ajouté au panier.');
  await page.goto('/cart');
  await hydrated(page);
  await expect(page.locator('.cart-line__subscription')).toHaveText('Abonnement · tous les 2 mois');
  await expect(page.getByTestId('subscription-note')).toBeVisible();

  // Checkout: only the card, and the renewal terms before paying.
  await page.goto('/checkout');
  await page.locator('#co-delivery-line1').fill('12 rue des Lilas');
  await page.locator('#co-delivery-postal_code').fill('75011');
  await page.locator('#co-delivery-city').fill('Paris');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
  await expect(page.getByRole('radio')).toHaveCount(1);
  await page.getByLabel('Carte bancaire').check();
  await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
  await expect(page.getByTestId('subscription-terms')).toContainText('reconduction tacite');
  await page.getByRole('checkbox', { name: /conditions générales de vente/ }).check();
  await page.getByRole('button', { name: 'Commander avec obligation de paiement' }).click();
  await expect(page).toHaveURL(/\/pay\/demo\//);
  await expect(page.getByText('Votre carte sera gardée')).toBeVisible();
  await page.getByRole('button', { name: 'Payer', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Merci, votre commande est confirmée' })).toBeVisible();

  // The account lists it, with the next delivery and the deadline.
  await page.goto('/account/subscriptions');
  await hydrated(page);
  const card = page.getByTestId('subscription');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Tous les 2 mois');
  await expect(card).toContainText('En cours');
  await expect(card.getByTestId('next-delivery')).toHaveText(/\d\d\/\d\d\/\d{4}/);
  await expect(card.getByTestId('deadline')).toHaveText(/\d\d\/\d\d\/\d{4} à \d\d h \d\d/);
  await noAxeViolations(page);

  // Cancelled well before the deadline: at once.
  await card.getByRole('button', { name: "Résilier l'abonnement" }).click();
  await expect(page.getByRole('status')).toHaveText('Votre abonnement est résilié : plus rien ne sera livré ni débité.');
  await expect(page.getByTestId('subscription')).toContainText('Terminé');
  await expect
    .poll(() => sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${email}' AND kind = 'subscription_cancelled'`))
    .toBe('1');
});
