import { test, expect } from '@playwright/test';
import { STAFF_PASSWORD, hydrated, newStaff, noAxeViolations, signIn } from './support';

// A customer shares their referral code; a friend types it at the review step, sees the
// welcome discount in the totals, pays; the sponsor's account then shows the credit earned.
test('a friend orders with a referral code and the sponsor earns a credit', async ({ page }, info) => {
  test.slow();
  const stamp = `${info.project.name}-${Date.now()}`;
  const sponsor = await newStaff(page, `parrain-${stamp}`);

  await page.goto('/account');
  await page.getByRole('link', { name: /Parrainage et fidélité/ }).click();
  await expect(page).toHaveURL(/\/account\/rewards$/);
  const code = (await page.getByTestId('referral-code').textContent())!.trim();
  expect(code).toMatch(/^PAUL-[2-9A-Z]{6}$/);
  await expect(page.getByTestId('referral-link')).toHaveValue(new RegExp(`/account/sign-up\\?ref=${code}$`));
  await expect(page.getByTestId('points-balance')).toHaveText('0 points');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    page.viewportSize()!.width,
  );
  await noAxeViolations(page);

  // The friend, a guest, fills a basket and types the code at the review.
  await page.context().clearCookies({ name: 'comptoir_session' });
  await page.goto('/products/savon-surgras-lavande');
  await hydrated(page);
  await page.getByRole('button', { name: 'Ajouter au panier', exact: true }).click();
  await expect(page.locator('.product-page__buy .add-to-cart__status')).toContainText('Ajouté au panier.');
  await page.goto('/checkout');
  await page.getByLabel('Adresse e-mail').fill(`filleul-${stamp}@exemple.fr`);
  await page.locator('#co-first_name').fill('Inès');
  await page.locator('#co-last_name').fill('Moreau');
  await page.locator('#co-delivery-first_name').fill('Inès');
  await page.locator('#co-delivery-last_name').fill('Moreau');
  await page.locator('#co-delivery-line1').fill(`${Date.now() % 100} rue Mercière`);
  await page.locator('#co-delivery-postal_code').fill('69002');
  await page.locator('#co-delivery-city').fill('Lyon');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
  await page.getByLabel('Carte bancaire').check();
  await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
  await expect(page).toHaveURL(/step=review/);

  // A mistyped code is refused with its reason, next to the field.
  await page.getByLabel('Vous avez un code ?').fill('PAUL-XXXXXX');
  await page.getByRole('button', { name: 'Appliquer' }).click();
  await expect(page.locator('#co-promo-error')).toContainText("n'existe pas");
  await page.getByLabel('Vous avez un code ?').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Appliquer' }).click();
  await expect(page.getByTestId('promo')).toContainText(`Code appliqué : ${code}`);
  await expect(page.locator('.review')).toContainText('Parrainage : bienvenue');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    page.viewportSize()!.width,
  );
  await noAxeViolations(page);
  await page.getByRole('checkbox', { name: /conditions générales de vente/ }).check();
  await page.getByRole('button', { name: 'Commander avec obligation de paiement' }).click();
  await page.getByRole('button', { name: 'Payer', exact: true }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Payée');

  // The sponsor's account: the referral earned and the credit ready.
  await signIn(page, sponsor, STAFF_PASSWORD);
  await page.goto('/account/rewards');
  await expect(page.getByTestId('referrals')).toContainText('Avoir acquis');
  await expect(page.getByTestId('referral-credit')).toContainText('10,00');
});
