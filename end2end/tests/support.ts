// Helpers shared by the specs.
import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export const STAFF_PASSWORD = 'Quatre-chemins-sous-la-pluie';

// Reads and adjusts the database `file` of a test store (`e2e.db`, `e2e-providers.db`),
// waiting up to 5 s for the store's own writes (without it, a write racing the server's
// fails at once with "database is locked").
export function sqlIn(file: string, query: string): string {
  const db = path.join(process.env.E2E_DB_DIR!, file);
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, query]).toString().trim();
}

// Reads and adjusts the test server's database.
export function sql(query: string): string {
  return sqlIn('e2e.db', query);
}

// The path of the link with a token in the last email of `kind` sent to `to`, read from the
// store's outbox (`read` queries its database).
export function emailedLink(to: string, kind = 'account_verify', read = sql): string {
  const body = read(`SELECT body_text FROM email_outbox WHERE to_address = '${to}' AND kind = '${kind}' ORDER BY id DESC LIMIT 1`);
  const link = body.match(/https?:\/\/\S+token=\S+/);
  expect(link, body).not.toBeNull();
  const url = new URL(link![0]);
  return url.pathname + url.search;
}

export async function addToCart(page: Page, slug: string, quantity = 1) {
  await page.goto(`/products/${slug}`);
  await hydrated(page);
  await page.getByLabel('Quantité', { exact: true }).fill(String(quantity));
  await page.getByRole('button', { name: 'Ajouter au panier', exact: true }).click();
  await expect(page.locator('.product-page__buy .add-to-cart__status')).toContainText('Ajouté au panier.');
}

// The checkout's first step for Léa Dubois.
export async function fillDetails(page: Page, email: string, country: string, postalCode: string, city: string) {
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.locator('#co-first_name').fill('Léa');
  await page.locator('#co-last_name').fill('Dubois');
  await page.locator('#co-delivery-first_name').fill('Léa');
  await page.locator('#co-delivery-last_name').fill('Dubois');
  await page.locator('#co-delivery-line1').fill('Rue de la Loi 16');
  await page.locator('#co-delivery-postal_code').fill(postalCode);
  await page.locator('#co-delivery-city').fill(city);
  await page.locator('#co-delivery-country').selectOption(country);
}

// Signs someone (Camille Martin unless named) up at `email`, then confirms by the emailed link
// read from the store's outbox (`read` queries its database): signed in on /account.
export async function signUpConfirmed(
  page: Page,
  email: string,
  password: string,
  { read = sql, firstName = 'Camille', lastName = 'Martin' } = {},
) {
  await page.goto('/account/sign-up');
  await page.getByLabel('Prénom').fill(firstName);
  await page.getByLabel('Nom', { exact: true }).fill(lastName);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Vérifiez votre boîte mail' })).toBeVisible();
  await page.goto(emailedLink(email, 'account_verify', read));
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page).toHaveURL(/\/account$/);
}

export async function hydrated(page: Page) {
  await expect(page.locator('.lang-menu[data-hydrated="true"]')).toBeAttached();
}

// No accessibility violation on the page, or inside `include` (a CSS selector) when given; the
// failure lists each rule with the elements it found.
// `exclude`: a part axe cannot enter, such as a frame sandboxed without scripts.
export async function noAxeViolations(page: Page, include?: string, exclude?: string) {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  if (exclude) builder = builder.exclude(exclude);
  const { violations } = await builder.analyze();
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

export async function signIn(page: Page, email: string, password: string) {
  await page.context().clearCookies({ name: 'comptoir_session' });
  await page.goto('/account/sign-in');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/account$/);
}

// A staff account made with the server's own `create-admin` command (the shop's sign-ups are
// limited per IP address, and the other specs already sign up from this one), then signed in.
export async function newStaff(page: Page, stamp: string): Promise<string> {
  const staff = `equipe-${stamp}@exemple.fr`;
  const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(process.cwd(), 'target');
  execFileSync(
    path.join(targetDir, 'debug', 'server'),
    ['create-admin', '--email', staff, '--first-name', 'Paul', '--last-name', 'Blanc'],
    {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite://${path.join(process.env.E2E_DB_DIR!, 'e2e.db')}`,
        ADMIN_PASSWORD: STAFF_PASSWORD,
        RUST_LOG: 'warn',
      },
    },
  );
  await signIn(page, staff, STAFF_PASSWORD);
  return staff;
}

// Makes every later request of `page` come from a client address of its own (the test shop
// trusts its loopback as a proxy): a journey that sends several emails or signs up is not
// refused by the per-client limits because other specs ran from the same machine. `n` picks
// the address (distinct per journey), the project (phone, desktop) another range.
export async function ownClient(page: Page, project: string, n: number) {
  const block = project === 'phone' ? 1 : 2;
  await page.setExtraHTTPHeaders({ 'X-Forwarded-For': `198.51.${100 + block}.${n}` });
}
