import { test, expect } from '@playwright/test';
// The language switch is an island: once its WASM has hydrated it marks itself.
import { hydrated } from './support';

test('home page renders the shop with its featured products', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Le soin, au naturel');
  await expect(page.getByRole('navigation', { name: 'Navigation principale' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Magnésium marin & vitamine B6' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Conditions générales de vente' })).toBeVisible();
});

test('the language menu hydrates: Escape and an outside click close it', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto('/');
  await hydrated(page);
  const toggle = page.getByLabel(/^Langue/);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('button', { name: 'English' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'English' })).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(page.getByRole('button', { name: 'English' })).toBeVisible();
  await page.getByRole('heading', { level: 1 }).click();
  await expect(page.getByRole('button', { name: 'English' })).toBeHidden();
  expect(errors.filter((e) => /island|panic|Content Security Policy|wasm/i.test(e))).toEqual([]);
});

test('a language menu opened before the WASM arrives stays open through hydration', async ({ page }) => {
  // Hold the WASM back until the shopper has opened the native menu.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  await page.goto('/');
  await page.locator('details.lang-menu summary').click();
  await expect(page.getByRole('button', { name: 'English' })).toBeVisible();
  release();
  await hydrated(page);
  await expect(page.getByRole('button', { name: 'English' })).toBeVisible();
  const toggle = page.getByLabel(/^Langue/);
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'English' })).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
});

test('switching to English translates the page and sticks across pages', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.getByLabel(/^Langue/).click();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Care, naturally');
  await expect(page.getByRole('heading', { name: 'Marine magnesium & vitamin B6' })).toBeVisible();
  await page.goto('/no-such-page?from=menu');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await page.getByLabel(/^Language/).click();
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page).toHaveURL(/\/no-such-page\?from=menu$/);
});

test('the language switch works before the WASM arrives', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('details.lang-menu summary').click();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await context.close();
});

test('unknown pages answer 404 with a way home', async ({ page }) => {
  const response = await page.goto('/nowhere');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page introuvable');
  await page.getByRole('link', { name: "Retour à l'accueil" }).click();
  await expect(page).toHaveURL(/\/$/);
});
