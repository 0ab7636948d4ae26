import { test, expect } from '@playwright/test';
import { STAFF_PASSWORD, addToCart, fillDetails, hydrated, newStaff, noAxeViolations, signIn, sql } from './support';

// A discounted order, shipped but not delivered yet, withdrawn from the link on its own page:
// the review and the emailed receipt give back what was paid, not the catalogue price.
test('a shopper withdraws a discounted parcel on its way for what was paid', async ({ page }, info) => {
  test.slow();
  const stamp = `${info.project.name}-${Date.now()}`;
  const code = `RETOUR${Date.now() % 1_000_000}${info.project.name === 'phone' ? 'P' : 'D'}`;
  const customer = `retour-${stamp}@exemple.fr`;
  // 20 % off everything (percentages are stored in hundredths).
  sql(
    `INSERT INTO promo_codes (code, kind, value, scope, scope_ids, uses, active, created_at, updated_at)
     VALUES ('${code}', 'percent', 2000, 'all', '[]', 0, 1,
             strftime('%Y-%m-%d %H:%M:%S+00:00', 'now'), strftime('%Y-%m-%d %H:%M:%S+00:00', 'now'))`,
  );

  await addToCart(page, 'savon-surgras-lavande', 2);
  await page.goto('/checkout');
  await fillDetails(page, customer, 'FR', '69002', 'Lyon');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
  await page.getByLabel('Carte bancaire').check();
  await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
  await page.getByLabel('Vous avez un code ?').fill(code);
  await page.getByRole('button', { name: 'Appliquer' }).click();
  await expect(page.getByTestId('promo')).toContainText(code);
  await page.getByRole('checkbox', { name: /conditions générales de vente/ }).check();
  await page.getByRole('button', { name: 'Commander avec obligation de paiement' }).click();
  await page.getByRole('button', { name: 'Payer', exact: true }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Payée');
  const orderPage = page.url();
  const number = new URL(orderPage).pathname.split('/').pop()!;

  // Staff prepare and ship it; nobody marks it delivered.
  await newStaff(page, stamp);
  await page.goto(`/admin/orders/${number}`);
  await page.getByRole('button', { name: 'Passer en préparation' }).click();
  await expect(page.getByTestId('admin-order-status')).toHaveText('En préparation');
  const ship = page.getByTestId('ship-form');
  await ship.getByLabel('Transporteur').selectOption('colissimo');
  await ship.getByLabel('Numéro de suivi').fill('6A12345678901');
  await ship.getByRole('button', { name: 'Marquer expédiée' }).click();
  await expect(page.getByTestId('admin-order-status')).toHaveText('Expédiée');

  // The customer, from the order's own link: the right is open, its end not known yet.
  await page.context().clearCookies({ name: 'comptoir_session' });
  await page.goto(orderPage);
  await expect(page.getByTestId('order-status')).toHaveText('Expédiée');
  await expect(page.getByTestId('withdraw-until')).toContainText('14e jour après la réception');
  await noAxeViolations(page);
  await page.getByRole('button', { name: 'Se rétracter de cette commande' }).click();
  await expect(page).toHaveURL(/step=lines/);
  await hydrated(page);
  await page.getByLabel(/Quantité/).first().fill('1');
  await page.getByLabel('Je déclare ces articles non ouverts, scellés').first().check();
  await page.getByRole('button', { name: 'Vérifier ma demande' }).click();
  await expect(page).toHaveURL(/step=confirm/);

  // What one soap was paid: half of the line after its 20 %.
  const [paid, unit] = sql(
    `SELECT paid_cents, unit_price_cents FROM order_lines
     WHERE order_id = (SELECT id FROM orders WHERE number = '${number}')`,
  ).split('|').map(Number);
  const owed = Math.round(paid / 2);
  expect(owed).toBeLessThan(unit);
  // Under 1,000 €: no digit grouping, a decimal comma.
  const amount = `${Math.floor(owed / 100)},${String(owed % 100).padStart(2, '0')}`;
  await expect(page.locator('main')).toContainText(amount);
  await page.getByRole('button', { name: 'Confirmer ma rétractation' }).click();
  await expect(page.locator('main')).toContainText('Votre demande est enregistrée');

  expect(sql(`SELECT refund_cents FROM withdrawal_requests WHERE order_id = (SELECT id FROM orders WHERE number = '${number}')`)).toBe(
    String(owed),
  );
  const receipt = sql(
    `SELECT body_text FROM email_outbox WHERE to_address = '${customer}' AND kind = 'withdrawal_receipt'`,
  );
  expect(receipt).toContain(`Montant à rembourser : ${amount}`);
});

// An item the shop cannot send: staff mark it unavailable with the expected date; the customer,
// told by email, chooses a store credit from the order's page, and their account shows it.
test('staff mark an item unavailable and the customer chooses a store credit', async ({ page }, info) => {
  test.slow();
  const stamp = `${info.project.name}-${Date.now()}`;
  const customer = await newStaff(page, `client-${stamp}`);

  await addToCart(page, 'savon-surgras-lavande', 2);
  await page.goto('/checkout');
  await fillDetails(page, customer, 'FR', '69002', 'Lyon');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
  await page.getByLabel('Carte bancaire').check();
  await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
  await page.getByRole('checkbox', { name: /conditions générales de vente/ }).check();
  await page.getByRole('button', { name: 'Commander avec obligation de paiement' }).click();
  await page.getByRole('button', { name: 'Payer', exact: true }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Payée');
  const number = new URL(page.url()).pathname.split('/').pop()!;

  // Staff mark the soap unavailable for ten days.
  await newStaff(page, stamp);
  await page.goto(`/admin/orders/${number}`);
  const form = page.getByTestId('unavailable-form');
  await form.locator('summary').click();
  const expected = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel('Date prévue').fill(expected);
  await form.getByRole('button', { name: 'Signaler un article indisponible' }).click();
  await expect(page.getByTestId('admin-unavailable')).toContainText('Savon');
  const mail = sql(
    `SELECT body_text FROM email_outbox WHERE to_address = '${customer}' AND kind = 'order_item_unavailable' ORDER BY id DESC LIMIT 1`,
  );
  expect(mail).toContain('attendons pour le');

  // The customer chooses a store credit on the order's page.
  await signIn(page, customer, STAFF_PASSWORD);
  await page.goto(`/orders/${number}`);
  const notice = page.getByTestId('unavailable');
  await expect(notice).toContainText('est indisponible, attendu le');
  await noAxeViolations(page);
  // SHOTS=dir keeps the pages to look at.
  if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/unavailable-${info.project.name}.png`, fullPage: true });
  await notice.getByRole('button', { name: 'Un avoir boutique' }).click();
  await expect(page.getByTestId('unavailable')).toContainText('rendu en avoir boutique');
  await expect(page.getByTestId('unavailable').getByRole('button')).toHaveCount(0);
  const [paid] = sql(
    `SELECT l.paid_cents FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.number = '${number}'`,
  ).split('|');
  const euros = (Number(paid) / 100).toFixed(2).replace('.', ',');
  await page.goto('/account/rewards');
  await expect(page.getByTestId('store-credit-balance')).toContainText(euros);
  await expect(page.getByTestId('store-credit-history')).toContainText('Remboursement en avoir');
  if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/store-credit-${info.project.name}.png`, fullPage: true });
});
