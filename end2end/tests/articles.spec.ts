import { test, expect } from '@playwright/test';
import { noAxeViolations, signUpConfirmed, sql } from './support';

test('an editor writes with the live preview, publishes, and the article is in the list, the feed and the sitemap', async ({ page }, info) => {
  const stamp = `${info.project.name}-${Date.now()}`;
  const email = `redaction-${stamp}@exemple.fr`;
  await signUpConfirmed(page, email, 'Encre-verte-et-papier-kraft', { firstName: 'Albane', lastName: 'Rédactrice' });
  sql(`UPDATE users SET role = 'editor' WHERE email = '${email}'`);

  // The back office opens on the editor's part.
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/articles$/);
  await page.getByRole('link', { name: 'Nouvel article' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nouvel article' })).toBeVisible();

  const title = `Les huiles végétales, mode d'emploi ${stamp}`;
  await page.getByLabel('Titre', { exact: true }).fill(title);
  await page.getByLabel(/^Résumé/).fill('Comment choisir une huile végétale selon sa peau.');
  // The preview follows the typing once the page is interactive.
  const preview = page.getByTestId('article-preview');
  const body = page.getByLabel('Texte (Markdown)');
  await expect(async () => {
    await body.fill('## Ce que nous avons appris\n\nUne huile **sèche** pénètre vite.\n\n<script>alert(1)</script>');
    await expect(preview.getByRole('heading', { name: 'Ce que nous avons appris' })).toBeVisible({ timeout: 2_000 });
  }).toPass();
  await expect(preview.locator('strong')).toHaveText('sèche');
  await expect(preview.locator('script')).toHaveCount(0);
  await page.getByLabel(/^Mots-clés/).fill('Peau, Huiles');
  await page.getByLabel(/^Produits associés/).fill('serum-eclat-vitamine-c');
  await page.getByRole('button', { name: 'Publier' }).click();
  await expect(page).toHaveURL(/\/admin\/articles\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Publié');
  await expect(page.getByText('Albane Rédactrice').first()).toBeVisible();

  // Readers find it first in the list, then on its page with the related product.
  await page.goto('/articles');
  const first = page.locator('.article-card').first();
  await expect(first.getByRole('heading')).toHaveText(title);
  await first.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Ce que nous avons appris' })).toBeVisible();
  await expect(page.getByText('Par Albane Rédactrice')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Huiles', exact: true })).toBeVisible();
  const card = page.locator('.product-card').filter({ hasText: 'Sérum éclat' });
  await card.getByRole('button', { name: /Ajouter au panier/ }).click();
  await expect(card.locator('.add-to-cart__status')).toContainText('Ajouté au panier');
  await noAxeViolations(page);

  const slug = new URL(page.url()).pathname.split('/').pop();
  const feed = await (await page.request.get('/feed.xml')).text();
  expect(feed).toContain(`/articles/${slug}</id>`);
  const sitemap = await (await page.request.get('/sitemap.xml')).text();
  expect(sitemap).toContain(`/articles/${slug}</loc>`);
});

test('a phone reader filters by topic and reads an article', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await page.getByRole('link', { name: 'Tous les articles' }).click();
  await page.getByRole('navigation', { name: 'Filtrer par thème' }).getByRole('link', { name: /Nutrition/ }).click();
  await expect(page).toHaveURL(/\/articles\?tag=nutrition$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Nutrition');
  await page.getByRole('link', { name: 'Le microbiote, un écosystème à ménager' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Le microbiote, un écosystème à ménager' })).toBeVisible();
  // Nothing wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await noAxeViolations(page);
});
