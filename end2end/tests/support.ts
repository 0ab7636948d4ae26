// Helpers shared by the specs.
import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export const STAFF_PASSWORD = 'Quatre-chemins-sous-la-pluie';

// Reads and adjusts the test server's database.
export function sql(query: string): string {
  const db = path.join(process.env.E2E_DB_DIR!, 'e2e.db');
  return execFileSync('sqlite3', [db, query]).toString().trim();
}

export async function hydrated(page: Page) {
  await expect(page.locator('.lang-menu[data-hydrated="true"]')).toBeAttached();
}

export async function noAxeViolations(page: Page) {
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
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
