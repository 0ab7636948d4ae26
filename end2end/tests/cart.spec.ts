import { test, expect } from '@playwright/test';
import { hydrated, noAxeViolations } from './support';

function cents(text: string): number {
  return Number(text.replace(/\D/g, ''));
}

test('a shopper fills the cart, reloads, changes a quantity and sees the server total', async ({ page, baseURL }) => {
  await page.goto('/products/magnesium-marin-b6');
  await hydrated(page);
  await page.getByLabel('Quantité', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Ajouter au panier', exact: true }).click();
  await expect(page.locator('.product-page__buy .add-to-cart__status')).toContainText('Ajouté au panier.');
  await expect(page.getByTestId('cart-count')).toHaveText('2 articles dans le panier');

  await page.goto('/products/serum-eclat-vitamine-c');
  await hydrated(page);
  await page.getByRole('button', { name: 'Ajouter au panier', exact: true }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('3 articles dans le panier');

  await page.goto('/cart');
  await hydrated(page);
  const lines = page.locator('.cart-line');
  await expect(lines).toHaveCount(2);
  await page.reload();
  await hydrated(page);
  await expect(lines).toHaveCount(2);
  await expect(page.getByTestId('cart-count')).toHaveText('3 articles dans le panier');

  const magnesium = lines.filter({ hasText: 'Magnésium marin' });
  await magnesium.getByRole('button', { name: 'Ajouter un' }).click();
  await expect(magnesium.getByRole('spinbutton')).toHaveValue('3');
  await expect(page.getByTestId('cart-count')).toHaveText('4 articles dans le panier');

  // The total shown is the one the server computes from its own prices.
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('comptoir.cart.v1') ?? '{}'));
  const answer = await page.request.post('/api/cart/quote', {
    headers: { origin: baseURL! },
    data: {
      lines: stored.items.map((i: any) => ({ product_id: i.product.id, quantity: i.quantity })),
      destination: 'FR',
      locale: 'Fr',
    },
  });
  expect(answer.ok()).toBeTruthy();
  const quote = (await answer.json()).quote;
  await expect(page.getByTestId('cart-total')).toHaveText(/\d/);
  expect(cents(await page.getByTestId('cart-total').innerText())).toBe(Math.round(Number(quote.total) * 100));
  expect(quote.lines.map((l: any) => l.quantity)).toEqual([3, 1]);

  await lines.filter({ hasText: 'Sérum éclat' }).getByRole('button', { name: 'Retirer', exact: true }).click();
  await expect(lines).toHaveCount(1);
  await expect(page.getByTestId('cart-count')).toHaveText('3 articles dans le panier');

  // Where it goes decides taxes, shipping and payment methods.
  await page.getByLabel('Pays de livraison').selectOption('BE');
  await expect(page.locator('.payment-methods')).toContainText('Bancontact');
  await page.getByLabel('Pays de livraison').selectOption('RE');
  await expect(page.locator('.totals__row--total dt')).toHaveText('Total HT');
  await expect(page.getByText('droits de douane')).toBeVisible();

  await noAxeViolations(page);
});

test('the cart is empty at first and says so', async ({ page }) => {
  await page.goto('/cart');
  await expect(page.getByRole('heading', { name: 'Votre panier est vide' })).toBeVisible();
  await expect(page.getByTestId('cart-count')).toHaveText('0 article dans le panier');
});

test('a second tab follows the cart', async ({ context }) => {
  const cart = await context.newPage();
  await cart.goto('/cart');
  await hydrated(cart);
  const shop = await context.newPage();
  await shop.goto('/products/serum-eclat-vitamine-c');
  await hydrated(shop);
  await shop.getByRole('button', { name: 'Ajouter au panier', exact: true }).click();
  await expect(cart.getByTestId('cart-count')).toHaveText('1 article dans le panier');
  await expect(cart.locator('.cart-line')).toHaveCount(1);
});

// Before the WASM arrives (a phone on a slow network), or without JavaScript at all, the cart's
// buttons are plain forms: the server updates the cart cookie and comes back with the outcome.
test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('add, subscribe, change, move and empty the cart with plain forms', async ({ page }) => {
    await page.goto('/products/savon-surgras-lavande');
    await page.getByLabel('Quantité', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Ajouter au panier', exact: true }).click();
    await expect(page).toHaveURL(/\/products\/savon-surgras-lavande\?cart=added&p=(\d+)#add-\1$/);
    await expect(page.locator('.product-page__buy .add-to-cart__status')).toContainText('Ajouté au panier.');

    // A subscription from its own form.
    await page.goto('/products/magnesium-marin-b6');
    await page.getByLabel('Livraison', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: "S'abonner" }).click();
    await expect(page.locator('.subscribe__status')).toContainText('Abonnement ajouté au panier.');

    // From a card of the listing: back on the listing, its sort kept.
    await page.goto('/products?sort=price-asc');
    const card = page.locator('.product-card').first();
    await card.getByRole('button', { name: /Ajouter au panier – / }).click();
    await expect(page).toHaveURL(/\/products\?sort=price-asc&cart=added&p=(\d+)#add-\1$/);
    await expect(page.locator('.product-card .add-to-cart__status').first()).toContainText('Ajouté au panier.');

    await page.goto('/cart');
    const soap = page.locator('.cart-line', { hasText: 'Savon surgras' });
    // Two from its page (and one more if the listing's cheapest card was the soap too).
    const before = Number(await soap.locator('.cart-line__input').inputValue());
    expect(before).toBeGreaterThanOrEqual(2);
    await soap.getByRole('button', { name: 'Ajouter un' }).click();
    await expect(page).toHaveURL(/\/cart$/);
    await expect(page.locator('.cart-line', { hasText: 'Savon surgras' }).locator('.cart-line__input')).toHaveValue(String(before + 1));
    await expect(page.locator('.cart-line', { hasText: 'Magnésium' })).toContainText('Abonnement');
    await page.locator('.cart-line', { hasText: 'Magnésium' }).getByRole('button', { name: 'Retirer', exact: true }).click();
    await expect(page.locator('.cart-line', { hasText: 'Magnésium' })).toHaveCount(0);
    await page.getByLabel('Pays de livraison').selectOption('BE');
    await page.getByRole('button', { name: 'Mettre à jour' }).click();
    await expect(page.getByLabel('Pays de livraison')).toHaveValue('BE');
    await page.getByRole('button', { name: 'Vider le panier' }).click();
    await expect(page.getByRole('heading', { name: /panier est vide/ })).toBeVisible();
  });
});
