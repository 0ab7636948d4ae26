// Paying through real providers' hosted pages, which are always on another origin than the
// shop's: the second store of the config takes one-off payments through the local fake of
// Mollie and subscriptions through the local fake of Stripe (their APIs and hosted pages, on
// another port). And the demo provider, browsed on another host name than APP__PUBLIC_URL.
import { test, expect, Page } from '@playwright/test';
import { addToCart, fillDetails, hydrated, noAxeViolations, signUpConfirmed, sqlIn } from './support';

const providers = process.env.E2E_PROVIDERS_URL!;
const fakes = process.env.E2E_FAKES_URL!;

// Reads the providers store's database.
const sql = (query: string) => sqlIn('e2e-providers.db', query);

// Ticks the terms and proceeds: the shop's hand-off page sends the browser on to `provider`.
async function proceedTo(page: Page, provider: RegExp) {
  await page.getByRole('checkbox', { name: /conditions générales de vente/ }).check();
  await page.getByRole('button', { name: 'Commander avec obligation de paiement' }).click();
  await expect(page).toHaveURL(provider);
}

test.describe('through the providers on another origin', () => {
  test.use({ baseURL: providers });

  test('a guest pays on the fake Mollie checkout page and comes back to the paid order', async ({ page }, info) => {
    test.slow();
    const email = `mollie-${info.project.name}-${Date.now()}@exemple.fr`;
    await addToCart(page, 'serum-eclat-vitamine-c');
    await page.goto('/checkout');
    await fillDetails(page, email, 'FR', '69002', 'Lyon');
    await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
    await page.getByLabel('Carte bancaire').check();
    await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
    await proceedTo(page, new RegExp(`^${fakes}/checkout/tr_`));
    await expect(page.getByRole('heading', { name: 'Fake Mollie checkout' })).toBeVisible();
    await page.getByRole('button', { name: /^Pay / }).click();

    await expect(page).toHaveURL(new RegExp(`^${providers}/orders/CB\\d\\d-[A-Z0-9]{6}\\?key=`));
    await expect(page.getByRole('heading', { name: 'Merci, votre commande est confirmée' })).toBeVisible();
    await expect(page.getByTestId('order-status')).toHaveText('Payée');
    const number = new URL(page.url()).pathname.split('/').pop()!;
    expect(sql(`SELECT o.status || ' ' || p.provider FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.number = '${number}'`))
      .toBe('paid mollie');
  });

  test('a customer subscribes, keeps the card on the fake Stripe Checkout page and comes back to the paid order', async ({ page }, info) => {
    test.slow();
    const email = `stripe-${info.project.name}-${Date.now()}@exemple.fr`;
    await signUpConfirmed(page, email, 'vert-galet-lune-38', { read: sql });

    await page.goto('/products/magnesium-marin-b6');
    await hydrated(page);
    await page.getByLabel('Livraison', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: "S'abonner", exact: true }).click();
    await expect(page.locator('.subscribe__status')).toContainText('Abonnement ajouté au panier.');
    await page.goto('/checkout');
    await page.locator('#co-delivery-line1').fill('12 rue des Lilas');
    await page.locator('#co-delivery-postal_code').fill('75011');
    await page.locator('#co-delivery-city').fill('Paris');
    await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
    await page.getByLabel('Carte bancaire').check();
    await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
    await proceedTo(page, new RegExp(`^${fakes}/c/pay/cs_test_`));
    await expect(page.getByRole('heading', { name: 'Fake Stripe Checkout' })).toBeVisible();
    await page.getByRole('button', { name: /^Pay / }).click();

    await expect(page).toHaveURL(new RegExp(`^${providers}/orders/CB\\d\\d-`));
    await expect(page.getByRole('heading', { name: 'Merci, votre commande est confirmée' })).toBeVisible();
    await page.goto('/account/subscriptions');
    await expect(page.getByTestId('subscription')).toContainText('En cours');
    expect(sql(`SELECT provider FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE u.email = '${email}'`))
      .toBe('stripe');
  });
});

test('the demo provider takes a payment when the shop is browsed on another host name than its public URL', async ({ page, context }, info) => {
  test.slow();
  // APP__PUBLIC_URL says 127.0.0.1; the shopper types localhost.
  const other = new URL(process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3100');
  other.hostname = 'localhost';
  await context.addCookies([{
    name: 'comptoir_consent',
    value: `1.${Math.floor(Date.now() / 1000)}.000.e2e-returning-visitor`,
    domain: 'localhost',
    path: '/',
    httpOnly: true,
    secure: false,
    sameSite: 'Lax',
  }]);
  const at = (p: string) => new URL(p, other).toString();
  await page.goto(at('/products/spiruline-bio'));
  await hydrated(page);
  await page.getByRole('button', { name: 'Ajouter au panier', exact: true }).click();
  await expect(page.locator('.product-page__buy .add-to-cart__status')).toContainText('Ajouté au panier.');
  await page.goto(at('/checkout'));
  await fillDetails(page, `ailleurs-${info.project.name}-${Date.now()}@exemple.fr`, 'FR', '69002', 'Lyon');
  await page.getByRole('button', { name: 'Continuer vers la livraison' }).click();
  await page.getByLabel('Carte bancaire').check();
  await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
  await proceedTo(page, new RegExp(`^${other.origin}/pay/demo/`));
  await page.getByRole('button', { name: 'Payer', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`^${other.origin}/orders/CB`));
  await expect(page.getByRole('heading', { name: 'Merci, votre commande est confirmée' })).toBeVisible();
  await noAxeViolations(page);
});
