import { test, expect } from '@playwright/test';
import { noAxeViolations } from './support';

test('a shopper browses a category, opens a product and looks at its pictures', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Boutique' }).click();
  await expect(page).toHaveURL(/\/products$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('La boutique');
  await expect(page.getByRole('status')).toHaveText('24 produits');

  await page.getByRole('navigation', { name: 'Univers' }).getByRole('link', { name: 'Soin du visage' }).click();
  await expect(page).toHaveURL(/category=soin-visage/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Soin du visage');
  const cards = page.locator('.product-grid .product-card');
  await expect(cards).toHaveCount(5);

  await page.getByRole('link', { name: 'Sérum éclat à la vitamine C', exact: true }).click();
  await expect(page).toHaveURL(/\/products\/serum-eclat-vitamine-c$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sérum éclat à la vitamine C');
  await expect(page.locator('.product-page__price')).toContainText('34,00');
  await expect(page.locator('.product-page__vat')).toHaveText(/TVA 20\s% incluse/);
  await expect(page.getByRole('heading', { name: 'Composition' })).toBeVisible();

  // The second picture comes into view from its thumbnail.
  const second = page.locator('#photo-2 img');
  await page.locator('.gallery__thumbs a[href="#photo-2"]').click();
  await expect(second).toBeInViewport();

  // The breadcrumb leads back to the category.
  await page.getByRole('navigation', { name: "Fil d'Ariane" }).getByRole('link', { name: 'Soin du visage' }).click();
  await expect(page).toHaveURL(/category=soin-visage/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('search ignores accents, then sorting keeps the search in the address', async ({ page }) => {
    await page.goto('/products');
    await page.getByLabel('Rechercher un produit').fill('SERUM');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await expect(page).toHaveURL(/q=SERUM/);
    await expect(page.getByRole('link', { name: 'Sérum éclat à la vitamine C', exact: true })).toBeVisible();

    await page.getByLabel('Rechercher un produit').fill('huile');
    await page.getByLabel('Trier par').selectOption('price-asc');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await expect(page).toHaveURL(/q=huile.*sort=price-asc/);
    const prices = await page.locator('.product-grid .product-card__price strong').allTextContents();
    const cents = prices.map((p) => Number(p.replace(/\D/g, '')));
    expect(cents.length).toBeGreaterThan(1);
    expect([...cents].sort((a, b) => a - b)).toEqual(cents);

    await page.getByLabel('Rechercher un produit').fill('xylophone');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await expect(page.getByRole('heading', { name: 'Aucun produit ne correspond' })).toBeVisible();
    await page.getByRole('link', { name: 'Voir tous les produits' }).click();
    await expect(page.getByRole('status')).toHaveText('24 produits');
  });
});

test('an archived or unknown product gives a page with a way back', async ({ page }) => {
  const response = await page.goto('/products/no-such-product');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('link', { name: "Retour à l'accueil" })).toBeVisible();
});

for (const path of ['/', '/products', '/products/magnesium-marin-b6']) {
  test(`${path} has no accessibility violation`, async ({ page }) => {
    await page.goto(path);
    await noAxeViolations(page);
  });
}
