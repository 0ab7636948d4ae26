import { test, expect } from '@playwright/test';
import { addToCart, fillDetails, hydrated, noAxeViolations, sql } from './support';

test('a guest buys two products for Belgium and pays through the demo provider', async ({ page }, info) => {
  // A long journey (two flows in one): three times the usual time limit.
  test.slow();
  const email = `acheteuse-${info.project.name}-${Date.now()}@exemple.be`;
  await addToCart(page, 'magnesium-marin-b6', 2);
  await addToCart(page, 'serum-eclat-vitamine-c', 1);
  await page.goto('/cart');
  await hydrated(page);
  await page.getByRole('link', { name: 'Passer commande' }).click();

  // 1. Details: every refused field says why, next to it.
  await expect(page.getByRole('heading', { name: 'Commande', exact: true })).toBeVisible();
  await noAxeViolations(page);
  await page.getByLabel('Adresse e-mail').fill('lea');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
  await expect(page.locator('#co-email-error')).toContainText('adresse e-mail valide');
  await expect(page.getByLabel('Adresse e-mail')).toHaveValue('lea');
  await fillDetails(page, email, 'BE', '1000', 'Bruxelles');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();

  // 2. Delivery and payment: Belgium's shipping, and Bancontact offered there.
  await expect(page).toHaveURL(/step=delivery/);
  await expect(page.getByTestId('destination')).toContainText('Belgique');
  await noAxeViolations(page);
  await page.getByLabel(/Bancontact/).check();
  await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();

  // 3. Review: the breakdown, the unticked terms, and back/forward keeps what was typed.
  await expect(page).toHaveURL(/step=review/);
  await noAxeViolations(page);
  const terms = page.getByRole('checkbox', { name: /conditions générales de vente/ });
  await expect(terms).not.toBeChecked();
  await expect(page.locator('.review')).toContainText('Rue de la Loi 16');
  await page.goBack();
  await page.goBack();
  await expect(page.getByLabel('Adresse e-mail')).toHaveValue(email);
  await expect(page.locator('#co-delivery-city')).toHaveValue('Bruxelles');
  await page.goForward();
  await page.goForward();
  await expect(page).toHaveURL(/step=review/);
  const total = await page.getByTestId('checkout-total').first().textContent();

  await page.getByRole('checkbox', { name: /conditions générales de vente/ }).check();
  await page.getByRole('button', { name: 'Commander avec obligation de paiement' }).click();

  // The provider's hosted page, then back to the shop.
  await expect(page).toHaveURL(/\/pay\/demo\//);
  await expect(page.getByTestId('demo-amount')).toHaveText(total!);
  await page.getByRole('button', { name: 'Payer', exact: true }).click();
  await expect(page).toHaveURL(/\/orders\/CB\d\d-[A-Z0-9]{6}\?key=/);
  await expect(page.getByRole('heading', { name: 'Merci, votre commande est confirmée' })).toBeVisible();
  await expect(page.getByTestId('order-status')).toHaveText('Payée');
  await noAxeViolations(page);
  const number = new URL(page.url()).pathname.split('/').pop()!;

  // The order, its invoice and the confirmation email exist.
  expect(sql(`SELECT status || ' ' || destination FROM orders WHERE number = '${number}'`)).toBe('paid BE');
  const invoice = sql(`SELECT i.number FROM invoices i JOIN orders o ON o.id = i.order_id WHERE o.number = '${number}'`);
  expect(invoice).toMatch(/^F\d{4}-\d{6}$/);
  await expect
    .poll(() => sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${email}' AND kind = 'order_confirmed'`))
    .toBe('1');
  await page.getByRole('link', { name: 'voir' }).click();
  await expect(page.getByTestId('invoice')).toContainText(invoice);
  // The cart became the order.
  await page.goto('/cart');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Votre panier est vide' })).toBeVisible();
});

test('a declined payment cancels the order and gives the stock back', async ({ page }, info) => {
  // Each project buys its own product: they run at the same time on one database.
  const slug = info.project.name === 'phone' ? 'spiruline-bio' : 'vitamine-d3-vegetale';
  const stock = () => sql(`SELECT stock FROM products WHERE slug = '${slug}'`);
  const before = stock();
  await addToCart(page, slug, 2);
  await page.goto('/checkout');
  await fillDetails(page, `refus-${info.project.name}-${Date.now()}@exemple.fr`, 'FR', '69002', 'Lyon');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
  await page.getByLabel('Carte bancaire').check();
  await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
  await page.getByRole('checkbox', { name: /conditions générales de vente/ }).check();
  await page.getByRole('button', { name: 'Commander avec obligation de paiement' }).click();
  await expect(page).toHaveURL(/\/pay\/demo\//);
  expect(Number(stock())).toBe(Number(before) - 2);
  await page.getByRole('button', { name: 'Refuser le paiement' }).click();
  await expect(page.getByRole('heading', { name: 'Commande annulée' })).toBeVisible();
  await expect.poll(stock).toBe(before);
});
