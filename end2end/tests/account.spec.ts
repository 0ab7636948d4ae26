import { test, expect } from '@playwright/test';
import { emailedLink, hydrated, noAxeViolations, signIn } from './support';

const PASSWORD = 'vert-galet-lune-38';

test('a guest orders, then signs up, confirms, signs out and in, keeps an address book, finds the cart again and sees the guest order', async ({ page }, info) => {
  // A long journey (two flows in one): three times the usual time limit.
  test.slow();
  const email = `e2e-${info.project.name}-${Date.now()}@exemple.fr`;

  // First an order as a guest, by bank transfer, with the address the account will have.
  await page.goto('/products/zinc-selenium');
  await hydrated(page);
  await page.getByRole('button', { name: 'Ajouter au panier', exact: true }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('1 article dans le panier');
  await page.goto('/checkout');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.locator('#co-first_name').fill('Camille');
  await page.locator('#co-last_name').fill('Martin');
  await page.locator('#co-delivery-first_name').fill('Camille');
  await page.locator('#co-delivery-last_name').fill('Martin');
  await page.locator('#co-delivery-line1').fill('12 rue des Lilas');
  await page.locator('#co-delivery-postal_code').fill('75011');
  await page.locator('#co-delivery-city').fill('Paris');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
  await page.getByLabel('Virement bancaire').check();
  await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
  await page.getByRole('checkbox', { name: /conditions générales de vente/ }).check();
  await page.getByRole('button', { name: 'Commander avec obligation de paiement' }).click();
  await expect(page.getByRole('heading', { name: /en attente de votre paiement/ })).toBeVisible();
  const guestOrder = new URL(page.url()).pathname.split('/').pop()!;

  await page.goto('/account/sign-up');
  await noAxeViolations(page);
  await page.getByLabel('Prénom').fill('Camille');
  await page.getByLabel('Nom', { exact: true }).fill('Martin');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  // The newsletter box starts unticked.
  await expect(page.getByRole('checkbox')).not.toBeChecked();
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Vérifiez votre boîte mail' })).toBeVisible();

  await page.goto(emailedLink(email));
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(email)).toBeVisible();

  // A product in the cart while signed in stays with the account.
  await page.goto('/products/magnesium-marin-b6');
  await hydrated(page);
  await page.getByRole('button', { name: 'Ajouter au panier', exact: true }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('1 article dans le panier');

  await page.goto('/account');
  await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await expect(page.getByTestId('cart-count')).toHaveText('0 article dans le panier');
  await page.goto('/account');
  await expect(page).toHaveURL(/\/account\/sign-in/);

  await signIn(page, email, PASSWORD);
  await hydrated(page);
  await expect(page.getByTestId('cart-count')).toHaveText('1 article dans le panier');

  // The address book: add, edit, and see it.
  await page.getByRole('link', { name: /carnet d'adresses/ }).click();
  await expect(page.getByText("Aucune adresse enregistrée pour l'instant.")).toBeVisible();
  await page.getByLabel("Nom de l'adresse").fill('Maison');
  await page.getByLabel('Prénom').fill('Camille');
  await page.getByLabel('Nom', { exact: true }).fill('Martin');
  await page.getByLabel('Adresse', { exact: true }).fill('12 rue des Lilas');
  await page.getByLabel('Code postal').fill('750');
  await page.getByLabel('Ville').fill('Paris');
  await page.getByRole('button', { name: "Enregistrer l'adresse" }).click();
  await expect(page.getByRole('alert')).toContainText("Ce code postal n'est pas valide");
  await page.getByLabel('Code postal').fill('75011');
  await page.getByRole('button', { name: "Enregistrer l'adresse" }).click();
  await expect(page.getByText('Adresse enregistrée.')).toBeVisible();
  const card = page.getByTestId('address');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('12 rue des Lilas');
  await expect(card).toContainText('Adresse par défaut');

  await card.getByRole('link', { name: 'Modifier' }).click();
  await page.getByLabel("Complément d'adresse").fill('Bâtiment B');
  await page.getByRole('button', { name: "Enregistrer l'adresse" }).click();
  await expect(page.getByTestId('address')).toContainText('Bâtiment B');
  await noAxeViolations(page);

  // The order placed as a guest with the same (now verified) address is in the account.
  await page.goto('/account');
  await page.getByRole('link', { name: /Mes commandes/ }).click();
  await expect(page.getByTestId('account-order')).toContainText(guestOrder);
  await noAxeViolations(page);
  await page.getByRole('link', { name: `Commande ${guestOrder}` }).click();
  await expect(page.getByTestId('order-status')).toHaveText('En attente de paiement');
});
