import { test, expect, Page } from '@playwright/test';
import { hydrated, noAxeViolations } from './support';

// A first visit: no cookie at all (the other journeys start as a returning visitor).
test.use({ storageState: { cookies: [], origins: [] } });

function measurements(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/privacy/visit')) seen.push(request.url());
  });
  return seen;
}

const bannerOf = (page: Page) => page.getByRole('region', { name: 'Vos choix sur les cookies' });

test('a first visit shows the banner; "Refuse all" sets no optional cookie and measures nothing', async ({ page, context }) => {
  const seen = measurements(page);
  await page.goto('/products');
  const banner = bannerOf(page);
  await expect(banner).toBeVisible();
  await hydrated(page);
  await noAxeViolations(page, '#consent-banner');
  // Refusing is as easy as accepting: two buttons of the same size side by side.
  const refuse = banner.getByRole('button', { name: 'Tout refuser' });
  const accept = banner.getByRole('button', { name: 'Tout accepter' });
  const [r, a] = [await refuse.boundingBox(), await accept.boundingBox()];
  expect(Math.abs(r!.width - a!.width)).toBeLessThan(2);
  expect(Math.abs(r!.height - a!.height)).toBeLessThan(2);

  await refuse.click();
  await expect(banner).toBeHidden();
  await page.goto('/products/magnesium-marin-b6');
  await hydrated(page);
  await expect(bannerOf(page)).toBeHidden();
  await page.waitForLoadState('networkidle');
  expect(seen).toEqual([]);
  const names = (await context.cookies()).map((c) => c.name);
  expect(names).toEqual(['comptoir_consent']);
});

test('"Accept all" turns the measurement on; the footer link reopens the banner to withdraw it', async ({ page, context }) => {
  const seen = measurements(page);
  await page.goto('/');
  await hydrated(page);
  expect(seen).toEqual([]);
  const measured = page.waitForRequest((r) => r.url().includes('/api/privacy/visit'));
  await bannerOf(page).getByRole('button', { name: 'Tout accepter' }).click();
  await measured;
  await expect(bannerOf(page)).toBeHidden();
  await expect.poll(async () => (await context.cookies()).map((c) => c.name).sort())
    .toEqual(['comptoir_audience', 'comptoir_consent']);

  // Each later page is measured once.
  const next = page.waitForRequest((r) => r.url().includes('/api/privacy/visit'));
  await page.goto('/products');
  await next;
  await hydrated(page);

  // Withdraw from the footer, on the page itself.
  await page.getByRole('link', { name: 'Préférences cookies' }).click();
  const banner = bannerOf(page);
  await expect(banner).toBeVisible();
  await expect(banner.getByRole('heading', { name: 'Vos choix sur les cookies' })).toBeFocused();
  await banner.getByText('Personnaliser').click();
  const audience = banner.getByRole('checkbox', { name: /Mesure d'audience/ });
  await expect(audience).toBeChecked();
  await audience.uncheck();
  await banner.getByRole('button', { name: 'Enregistrer mes choix' }).click();
  await expect(banner).toBeHidden();
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).toEqual(['comptoir_consent']);
  const before = seen.length;
  await page.goto('/cart');
  await hydrated(page);
  await page.waitForLoadState('networkidle');
  expect(seen.length).toBe(before);
});

test('the choice lasts 13 months from when it was given, then the banner asks again', async ({ page, context }) => {
  await page.goto('/');
  await hydrated(page);
  await bannerOf(page).getByRole('button', { name: 'Tout refuser' }).click();
  await expect(bannerOf(page)).toBeHidden();
  const [cookie] = await context.cookies();
  const [version, given, flags, visitor] = cookie.value.split('.');
  const lapses = new Date(Number(given) * 1000);
  lapses.setUTCMonth(lapses.getUTCMonth() + 13);
  expect(Math.abs(cookie.expires - lapses.getTime() / 1000)).toBeLessThan(2);

  // Visits do not extend it.
  await page.reload();
  await hydrated(page);
  expect((await context.cookies())[0].expires).toBe(cookie.expires);

  // Move the clock 13 months on: the choice in the cookie was given 13 months ago (the browser
  // keeps the cookie; the server reads the date written in it).
  const moved = new Date(Number(given) * 1000);
  moved.setUTCMonth(moved.getUTCMonth() - 13);
  const aged = `${version}.${Math.floor(moved.getTime() / 1000) - 60}.${flags}.${visitor}`;
  await context.addCookies([{ ...cookie, value: aged }]);
  await page.reload();
  await expect(bannerOf(page)).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the banner works as plain forms and comes back to the page', async ({ page, context }) => {
    await page.goto('/products?category=soin-visage');
    const banner = bannerOf(page);
    await expect(banner).toBeVisible();
    await banner.getByText('Personnaliser').click();
    await banner.getByRole('checkbox', { name: /Mesure d'audience/ }).check();
    await banner.getByRole('button', { name: 'Enregistrer mes choix' }).click();
    await expect(page).toHaveURL(/\/products\?category=soin-visage$/);
    await expect(bannerOf(page)).toBeHidden();
    const [cookie] = await context.cookies();
    expect(cookie.value.split('.')[2]).toBe('100');
  });
});
