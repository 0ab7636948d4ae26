import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { hydrated, newStaff, noAxeViolations, sql } from './support';

test('staff prepare and ship an order with a tracking number, and the customer sees it', async ({ page }, info) => {
  test.slow();
  const stamp = `${info.project.name}-${Date.now()}`;
  const customer = `colis-${stamp}@exemple.fr`;

  // A shopper buys and pays by card (demo provider).
  await page.goto('/products/savon-surgras-lavande');
  await hydrated(page);
  await page.getByRole('button', { name: 'Ajouter au panier', exact: true }).click();
  await expect(page.locator('.product-page__buy .add-to-cart__status')).toContainText('Ajouté au panier.');
  await page.goto('/checkout');
  await page.getByLabel('Adresse e-mail').fill(customer);
  await page.locator('#co-first_name').fill('Inès');
  await page.locator('#co-last_name').fill('Moreau');
  await page.locator('#co-delivery-first_name').fill('Inès');
  await page.locator('#co-delivery-last_name').fill('Moreau');
  await page.locator('#co-delivery-line1').fill('3 place Bellecour');
  await page.locator('#co-delivery-postal_code').fill('69002');
  await page.locator('#co-delivery-city').fill('Lyon');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
  await page.getByLabel('Carte bancaire').check();
  await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
  await page.getByRole('checkbox', { name: /conditions générales de vente/ }).check();
  await page.getByRole('button', { name: 'Commander avec obligation de paiement' }).click();
  await page.getByRole('button', { name: 'Payer', exact: true }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Payée');
  const orderPage = page.url();
  const number = new URL(orderPage).pathname.split('/').pop()!;

  // A member of staff signs in (an account made staff here).
  const staff = await newStaff(page, stamp);

  // The dashboard says an order waits; the list finds it.
  await page.goto('/admin');
  await expect(page.getByTestId('waiting')).toContainText('commandes payées à préparer');
  await noAxeViolations(page);
  await page.goto(`/admin/orders?q=${encodeURIComponent(customer)}`);
  await page.getByRole('link', { name: number }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Commande ${number}` })).toBeVisible();
  await expect(page.getByTestId('admin-order-status')).toHaveText('Payée');
  await noAxeViolations(page);

  await page.getByRole('button', { name: 'Passer en préparation' }).click();
  await expect(page.getByTestId('admin-order-status')).toHaveText('En préparation');
  // A tracking number that cannot be one is refused with its reason.
  const ship = page.getByTestId('ship-form');
  await ship.getByLabel('Transporteur').selectOption('colissimo');
  await ship.getByLabel('Numéro de suivi').fill('6A12<script>');
  await ship.getByRole('button', { name: 'Marquer expédiée' }).click();
  await expect(page.getByRole('alert')).toContainText('Numéro de suivi invalide');
  await expect(page.getByTestId('admin-order-status')).toHaveText('En préparation');
  await ship.getByLabel('Numéro de suivi').fill('6A 1234 5678 901');
  await ship.getByRole('button', { name: 'Marquer expédiée' }).click();
  await expect(page.getByTestId('admin-order-status')).toHaveText('Expédiée');
  await expect(page.getByTestId('admin-history')).toContainText(staff);
  await expect(page.getByTestId('parcel')).toContainText('6A12345678901');
  await expect
    .poll(() => sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${customer}' AND kind = 'order_shipped'`))
    .toBe('1');

  // The customer's page (the link from the emails) shows the parcel and where to follow it.
  await page.context().clearCookies({ name: 'comptoir_session' });
  await page.goto(orderPage);
  await expect(page.getByTestId('order-status')).toHaveText('Expédiée');
  await expect(page.getByTestId('tracking-number')).toHaveText('6A12345678901');
  await expect(page.getByRole('link', { name: 'Suivre le colis' })).toHaveAttribute(
    'href',
    'https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901',
  );
  await noAxeViolations(page);
});

test('staff set the seller identity that the legal notice shows', async ({ page }, info) => {
  // One project changes it: the two share the database and would race on the notice.
  test.skip(info.project.name !== 'desktop', 'the seller identity is shared by the whole shop');
  const stamp = `${info.project.name}-${Date.now()}`;
  await newStaff(page, stamp);
  await page.goto('/admin/seller');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Identité du vendeur' })).toBeVisible();
  await noAxeViolations(page);
  const form = page.getByTestId('seller-form');
  // A mistyped IBAN (one digit) is refused with its reason; nothing changes.
  const iban = await form.getByLabel('IBAN (virements)').inputValue();
  await form.getByLabel('IBAN (virements)').fill(iban.slice(0, -1) + (iban.endsWith('1') ? '2' : '1'));
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('alert')).toContainText('IBAN invalide');
  await form.getByLabel('IBAN (virements)').fill(iban);
  const phone = `+33 4 78 ${String(Date.now() % 100).padStart(2, '0')} 12 34`;
  await form.getByLabel('Téléphone').fill(phone);
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status')).toContainText('Enregistré');
  await page.goto('/legal/notice');
  await expect(page.locator('main')).toContainText(`Téléphone : ${phone}`);
});

// The dashboard's charts are server-drawn SVG, each named and described, with its data as a
// table behind a disclosure.
test('staff see the last 30 days as charts with their data', async ({ page }, info) => {
  const stamp = `${info.project.name}-charts-${Date.now()}`;
  await newStaff(page, stamp);
  await page.goto('/admin');
  await hydrated(page);
  for (const id of ['chart-orders', 'chart-revenue', 'chart-audience']) {
    const chart = page.getByTestId(id);
    await expect(chart.locator('svg[role="img"]')).toBeVisible();
    await chart.getByText('Voir les données').click();
    await expect(chart.locator('tbody tr')).toHaveCount(30);
  }
  await expect(page.getByRole('img', { name: /Commandes par jour/ })).toBeVisible();
  await noAxeViolations(page, '.admin-charts');
});

// Every email's HTML part, previewed in a sandboxed frame served under its own policy: the
// frame shows the sample order as a table and a button, and another email or language is one
// plain form away (no script needed).
test('staff preview each email in either language', async ({ page }, info) => {
  const stamp = `${info.project.name}-emails-${Date.now()}`;
  await newStaff(page, stamp);
  await page.goto('/admin/emails?kind=order_confirmed');
  await expect(page.getByTestId('email-subject')).toHaveText('Commande CB26-EXEMPL confirmée');
  const frame = page.frameLocator('[data-testid="email-frame"]');
  await expect(frame.getByRole('heading', { name: 'Commande CB26-EXEMPL confirmée' })).toBeVisible();
  await expect(frame.getByRole('cell', { name: 'Total', exact: true })).toBeVisible();
  await expect(frame.getByRole('link', { name: 'Suivre votre commande' })).toBeVisible();
  // The frame runs nothing and fits the phone's width.
  const width = await page.getByTestId('email-frame').evaluate((el) => el.getBoundingClientRect().width);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
  await page.getByText('Version texte').click();
  await expect(page.getByTestId('email-text')).toContainText('Total — 67,70');
  // The frame runs no script, so axe checks the page around it (the email is checked by the
  // integration tests: the same words as its text, nothing of a customer's text as markup).
  await noAxeViolations(page, '.emails', '[data-testid="email-frame"]');

  await page.getByRole('combobox', { name: 'Courriel', exact: true }).selectOption('order_shipped');
  await page.getByRole('combobox', { name: 'Langue du courriel' }).selectOption('en');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await expect(page).toHaveURL(/kind=order_shipped&lang=en/);
  await expect(page.getByTestId('email-subject')).toContainText('CB26-EXEMPL');
  await expect(frame.locator('html')).toHaveAttribute('lang', 'en');
  await expect(frame.getByRole('link', { name: /Track|Follow/ }).first()).toBeVisible();
});

// The orders list's filter goes with its CSV export; the file opens in a French spreadsheet
// (byte-order mark, `;`) and holds what the list shows.
test('staff export the filtered orders and the catalogue as CSV', async ({ page }, info) => {
  const stamp = `${info.project.name}-csv-${Date.now()}`;
  await newStaff(page, stamp);
  await page.goto('/admin/orders?method=cheque');
  const [orders] = await Promise.all([page.waitForEvent('download'), page.getByTestId('orders-export').click()]);
  expect(orders.suggestedFilename()).toMatch(/^commandes-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = fs.readFileSync((await orders.path())!, 'utf8');
  expect(text.startsWith('\uFEFFnumber;created_at;paid_at;status;payment_method;')).toBe(true);
  const rows = text.trim().split('\n').slice(1);
  expect(String(rows.length)).toBe(await sql(`SELECT count(*) FROM orders WHERE payment_method = 'cheque'`));
  for (const row of rows) expect(row.split(';')[4]).toBe('cheque');

  await page.goto('/admin/products');
  const [products] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Exporter en CSV' }).click(),
  ]);
  expect(products.suggestedFilename()).toMatch(/^produits-\d{4}-\d{2}-\d{2}\.csv$/);
  const catalogue = fs.readFileSync((await products.path())!, 'utf8');
  expect(catalogue).toContain('CB-VIT-005-120;');
});

test('staff try a product CSV import, then apply it', async ({ page }, info) => {
  const stamp = `${info.project.name}-import-${Date.now()}`;
  await newStaff(page, stamp);
  const sku = `CB-E2E-${Date.now().toString(36).toUpperCase()}-${info.project.name.slice(0, 3).toUpperCase()}`;
  const slug = `baume-${sku.toLowerCase()}`;
  const category = await sql(`SELECT slug FROM categories ORDER BY id LIMIT 1`);
  // Archived: the other journeys count the shop's products, which this one must not change.
  const header = 'sku;slug;category;kind;name_fr;name_en;price;vat_rate;net_quantity;net_unit;stock;status';
  const good = `\uFEFF${header}\n${sku};${slug};${category};cosmetic;Baume importé;Imported balm;12,40;20;30;ml;7;archived\n`;
  const file = (text: string) => ({ name: 'produits.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

  await page.goto('/admin/products');
  await page.getByRole('link', { name: 'Importer un CSV' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Importer des produits' })).toBeVisible();
  await noAxeViolations(page);

  // A refused row: the trial says which and why, and offers no import.
  const check = page.getByTestId('import-check');
  await check.getByLabel('Fichier CSV').setInputFiles(file(good.replace(';20;', ';19,6;')));
  await check.getByRole('button', { name: "Essayer (rien n'est enregistré)" }).click();
  const report = page.getByTestId('import-report');
  await expect(report.getByTestId('import-counts')).toHaveText(
    'Lignes : 1 — à créer : 0 · à modifier : 0 · inchangées : 0 · refusées : 1',
  );
  await expect(report.getByTestId('import-lines')).toContainText('Taux de TVA inconnu');
  await expect(page.getByTestId('import-apply')).toHaveCount(0);

  // The trial of a good file writes nothing and offers to apply that same file.
  await check.getByLabel('Fichier CSV').setInputFiles(file(good));
  await check.getByRole('button', { name: "Essayer (rien n'est enregistré)" }).click();
  await expect(report.getByTestId('import-counts')).toContainText('à créer : 1 ·');
  await expect(report.getByTestId('import-lines')).toContainText(sku);
  expect(await sql(`SELECT count(*) FROM products WHERE sku = '${sku}'`)).toBe('0');
  await noAxeViolations(page);
  await page.screenshot({ path: info.outputPath('import-trial.png'), fullPage: true });

  const apply = page.getByTestId('import-apply');
  await apply.getByLabel('Fichier CSV').setInputFiles(file(good));
  await apply.getByRole('button', { name: 'Appliquer ce fichier' }).click();
  await expect(report.getByRole('heading', { level: 2 })).toContainText('Import appliqué');
  await expect(report.getByTestId('import-counts')).toContainText('produits créés : 1 ·');
  expect(await sql(`SELECT price_cents || '/' || stock || '/' || status FROM products WHERE sku = '${sku}'`)).toBe(
    '1240/7/archived',
  );
  await page.goto(`/admin/products?q=${sku}&status=archived`);
  await expect(page.getByTestId('admin-products')).toContainText('Baume importé');
});
