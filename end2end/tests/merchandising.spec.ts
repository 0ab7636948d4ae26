import { test, expect } from '@playwright/test';
import { addToCart, emailedLink, hydrated, newStaff, noAxeViolations, ownClient, signIn, signUpConfirmed, sql } from './support';

const PASSWORD = 'Cerisier-en-fleur-sous-la-grele-4';

// The heart is the island's toggle once the script runs, and a plain form before: the same
// wishlist either way.
test('a customer keeps products in the wishlist with and without JavaScript', async ({ page, browser }, info) => {
  test.slow();
  const email = `envies-${info.project.name}-${Date.now()}@exemple.fr`;
  await ownClient(page, info.project.name, 12);
  await signUpConfirmed(page, email, PASSWORD);

  // With the script: the heart toggles in place.
  await page.goto('/products/spiruline-bio');
  await hydrated(page);
  const heart = page.locator('.product-page__title').getByTestId('wishlist-heart');
  await expect(heart).toHaveAttribute('aria-pressed', 'false');
  await heart.click();
  await expect(heart).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/\/products\/spiruline-bio$/);
  await noAxeViolations(page, '.product-page__buy');

  // Without it: the card's heart is a form that comes back to the same page, pressed.
  const plain = await browser.newContext({
    ...info.project.use,
    javaScriptEnabled: false,
    storageState: await page.context().storageState(),
  });
  const noScript = await plain.newPage();
  await noScript.goto('/products/omega-3-marin');
  const plainHeart = noScript.locator('.product-page__title').getByTestId('wishlist-heart');
  await expect(plainHeart).toHaveAttribute('aria-pressed', 'false');
  await plainHeart.click();
  await expect(noScript).toHaveURL(/\/products\/omega-3-marin$/);
  await expect(noScript.locator('.product-page__title').getByTestId('wishlist-heart')).toHaveAttribute('aria-pressed', 'true');
  await plain.close();

  // Both are in the account's wishlist, newest first; one is taken out.
  await page.goto('/account/wishlist');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: "Ma liste d'envies" })).toBeVisible();
  const items = page.getByTestId('wishlist').locator('li');
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText('Oméga-3');
  await noAxeViolations(page);
  await items.first().getByRole('button', { name: /^Retirer/ }).click();
  await expect(page.getByTestId('wishlist').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('wishlist')).toContainText('Spiruline');
});

// A visitor's alert takes a confirmed address; staff putting stock back sends it, once.
test('a visitor asks to be told when a product is back and is emailed when staff restock it', async ({ page }, info) => {
  test.slow();
  const stamp = `${info.project.name}-${Date.now()}`;
  const email = `retour-stock-${stamp}@exemple.fr`;
  // A product no other journey buys, one per project (they run side by side).
  const slug = info.project.name === 'phone' ? 'huile-seche-corps' : 'masque-argile-verte';
  const id = sql(`SELECT id FROM products WHERE slug = '${slug}'`);
  sql(`UPDATE products SET stock = 0 WHERE id = ${id}`);
  await ownClient(page, info.project.name, 13);

  const alert = page.getByTestId('stock-alert');
  await expect(async () => {
    await page.goto(`/products/${slug}`);
    await expect(alert).toBeVisible({ timeout: 1000 });
  }).toPass();
  await noAxeViolations(page, '.product-page__buy');
  await alert.getByLabel('Adresse e-mail').fill(email);
  await alert.getByRole('button', { name: 'Me prévenir de son retour' }).click();
  await expect(page.getByTestId('stock-alert').getByRole('status')).toContainText('un e-mail de confirmation vient de partir');

  await page.goto(emailedLink(email, 'stock_alert_confirm'));
  await page.getByRole('button', { name: "Confirmer l'alerte" }).click();
  await expect(page.getByRole('heading', { name: 'Alerte confirmée' })).toBeVisible();
  expect(sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${email}' AND kind = 'stock_alert'`)).toBe('0');

  // Staff receive new stock.
  await newStaff(page, stamp);
  await page.goto(`/admin/products/${id}`);
  await page.getByLabel('Entrée (+) ou sortie (−)').fill('+12');
  await page.getByLabel('Motif (réception, casse, inventaire…)').fill('Réception fournisseur');
  await page.getByRole('button', { name: 'Ajuster le stock' }).click();
  await expect
    .poll(() => sql(`SELECT count(*) FROM email_outbox WHERE to_address = '${email}' AND kind = 'stock_alert'`))
    .toBe('1');
  const body = sql(`SELECT body_text FROM email_outbox WHERE to_address = '${email}' AND kind = 'stock_alert'`);
  expect(body).toContain(`/products/${slug}`);
});

// A delivered order's product is reviewed from the account, read by staff, then shown on the
// product page with the "verified purchase" mention.
test('a customer reviews a delivered product and sees the review once published', async ({ page }, info) => {
  test.slow();
  const stamp = `${info.project.name}-${Date.now()}`;
  const email = `avis-${stamp}@exemple.fr`;
  const text = `Texture agréable, efficace en trois semaines (${stamp}).`;
  await ownClient(page, info.project.name, 14);
  await signUpConfirmed(page, email, PASSWORD);

  await addToCart(page, 'curcuma-poivre-noir');
  await page.goto('/checkout');
  await page.locator('#co-delivery-line1').fill('12 rue des Lilas');
  await page.locator('#co-delivery-postal_code').fill('75011');
  await page.locator('#co-delivery-city').fill('Paris');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
  await page.getByLabel('Carte bancaire').check();
  await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
  await page.getByRole('checkbox', { name: /conditions générales de vente/ }).check();
  await page.getByRole('button', { name: 'Commander avec obligation de paiement' }).click();
  await page.getByRole('button', { name: 'Payer', exact: true }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Payée');
  const number = new URL(page.url()).pathname.split('/').pop()!;
  // The carrier's delivery scan, as the tracking job records it.
  sql(`UPDATE orders SET status = 'delivered' WHERE number = '${number}'`);

  await page.goto('/account/reviews');
  const slot = page.getByTestId('review-slot').filter({ hasText: number });
  await expect(slot).toHaveCount(1);
  await noAxeViolations(page);
  await slot.locator('label.rating-option').filter({ hasText: '5 / 5' }).click();
  await slot.getByLabel('Votre avis (10 à 2 000 caractères)').fill(text);
  await slot.getByRole('button', { name: 'Envoyer mon avis' }).click();
  await expect(page.getByRole('status')).toHaveText('Merci ! Votre avis sera publié après relecture.');
  await expect(page.getByTestId('review-slot').filter({ hasText: number })).toHaveCount(0);

  // Not shown before staff read it.
  await page.goto('/products/curcuma-poivre-noir');
  await expect(page.getByTestId('product-reviews')).not.toContainText(text);

  await newStaff(page, stamp);
  await page.goto('/admin/reviews');
  const pending = page.getByTestId('pending-review').filter({ hasText: text });
  await pending.getByRole('button', { name: 'Publier' }).click();
  await expect(page.getByTestId('pending-review').filter({ hasText: text })).toHaveCount(0);

  await signIn(page, email, PASSWORD);
  const reviews = page.getByTestId('product-reviews');
  await expect(async () => {
    await page.goto('/products/curcuma-poivre-noir');
    await expect(reviews).toContainText(text, { timeout: 1000 });
  }).toPass();
  const mine = reviews.locator('.product-review').filter({ hasText: text });
  await expect(mine).toContainText('Achat vérifié');
  await expect(mine).toContainText('Camille M.');
  await noAxeViolations(page, '#reviews');
});

// Staff schedule a reduction; shoppers see it announced against the reference price (the
// lowest of the 30 days before, from the price history), in words, with or without the script.
test('staff put a product on sale and shoppers see it with its reference price', async ({ page, browser }, info) => {
  test.slow();
  const stamp = `${info.project.name}-${Date.now()}`;
  // A product no other journey prices, one per project (they run side by side).
  const slug = info.project.name === 'phone' ? 'ferments-lactiques' : 'safran-griffonia';
  const before = Number(sql(`SELECT price_cents FROM products WHERE slug = '${slug}'`));
  const reduced = before - Math.floor((before * 2000 + 5000) / 10000);
  const euros = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
  await ownClient(page, info.project.name, 15);
  await newStaff(page, stamp);

  await page.goto('/admin/sales');
  await hydrated(page);
  const name = `Soldes ${stamp}`;
  const end = new Date(Date.now() + 3 * 86400000);
  // datetime-local takes the Paris wall-clock time; a day's margin makes the zone irrelevant.
  const local = end.toISOString().slice(0, 16);
  await page.getByLabel("Nom (pour l'équipe)").fill(name);
  await page.getByLabel('Type').selectOption('percent');
  await page.getByLabel('Pourcentage ou prix').fill('20');
  await page.getByLabel('Fin (heure de Paris)').fill(local);
  await page.getByLabel("S'applique à").selectOption('products');
  await page.getByLabel('Adresses des produits ou catégories (séparées par des virgules)').fill(slug);
  await page.getByRole('button', { name: 'Programmer la réduction' }).click();
  const row = page.getByTestId('sales').locator('tr', { hasText: name });
  await expect(row).toContainText('En cours');
  await expect(row).toContainText('−20 %');
  await noAxeViolations(page);

  // Before the script: the page states the reduction, the reference price and what it is.
  const plain = await browser.newContext({ ...info.project.use, javaScriptEnabled: false });
  const noScript = await plain.newPage();
  await noScript.goto(`/products/${slug}`);
  await expect(noScript.locator('.product-page__price .sale-badge')).toHaveText('−20 %');
  await expect(noScript.locator('.product-page__price strong')).toContainText(euros(reduced));
  const reference = noScript.getByTestId('reference-price');
  await expect(reference).toContainText('Prix de référence');
  await expect(reference.locator('s')).toContainText(euros(before));
  await expect(reference).toContainText('le prix le plus bas pratiqué au cours des 30 jours précédant la réduction');
  await expect(reference).toContainText("Offre valable jusqu'au");
  await plain.close();

  // With it, the same, and the card of the listing shows the reference price struck out.
  await page.goto(`/products/${slug}`);
  await hydrated(page);
  await expect(page.getByTestId('reference-price')).toBeVisible();
  await noAxeViolations(page, '.product-page__buy');
  await page.goto(`/products?q=${slug.split('-')[0]}`);
  const card = page.locator('.product-card', { has: page.locator(`a[href="/products/${slug}"]`) });
  await expect(card.locator('.product-card__was s')).toContainText(euros(before));
  await noAxeViolations(page, '.product-grid');

  // Cancelled, the catalogue price is back at once.
  await page.goto('/admin/sales');
  await hydrated(page);
  await page.getByTestId('sales').locator('tr', { hasText: name }).getByRole('button', { name: 'Annuler' }).click();
  await expect(page.getByTestId('sales').locator('tr', { hasText: name })).toContainText('Annulée');
  expect(Number(sql(`SELECT price_cents FROM products WHERE slug = '${slug}'`))).toBe(before);
});

// A product in two sizes: the picker is a plain form whose address names the size, so it
// works the same before the script arrives, and the cart gets the size shown.
test('a shopper picks a size with and without JavaScript and the cart gets it', async ({ page, browser }, info) => {
  await ownClient(page, info.project.name, 16);
  await page.goto('/products/fer-vitamine-c');
  await hydrated(page);
  const picker = page.getByTestId('variant-picker');
  await expect(picker.getByRole('radio', { name: /60 gélules/ })).toBeChecked();
  await expect(page.locator('.product-page__price strong')).toHaveText('15,90 €');
  await picker.getByRole('radio', { name: /120 gélules/ }).check();
  await picker.getByRole('button', { name: 'Choisir ce format' }).click();
  await expect(page).toHaveURL(/\/products\/fer-vitamine-c\?v=120-gelules$/);
  await expect(page.locator('.product-page__price strong')).toHaveText('27,90 €');
  await expect(page.locator('.product-page__sku')).toContainText('CB-VIT-005-120');
  await hydrated(page);
  await noAxeViolations(page, '.product-page__buy');
  await page.locator('.product-page__buy').getByRole('button', { name: /Ajouter au panier/ }).click();
  await page.goto('/cart');
  await expect(page.locator('main')).toContainText('Fer bisglycinate & vitamine C — 120 gélules');

  const plain = await browser.newContext({ ...info.project.use, javaScriptEnabled: false });
  const noScript = await plain.newPage();
  await ownClient(noScript, info.project.name, 16);
  await noScript.goto('/products/fer-vitamine-c');
  const plainPicker = noScript.getByTestId('variant-picker');
  await plainPicker.getByRole('radio', { name: /120 gélules/ }).check();
  await plainPicker.getByRole('button', { name: 'Choisir ce format' }).click();
  await expect(noScript).toHaveURL(/\/products\/fer-vitamine-c\?v=120-gelules$/);
  await expect(noScript.locator('.product-page__price strong')).toHaveText('27,90 €');
  await noScript.locator('.product-page__buy').getByRole('button', { name: /Ajouter au panier/ }).click();
  await expect(noScript).toHaveURL(/\/products\/fer-vitamine-c\?v=120-gelules/);
  await noScript.goto('/cart');
  await expect(noScript.locator('main')).toContainText('Fer bisglycinate & vitamine C — 120 gélules');
  await plain.close();
});
