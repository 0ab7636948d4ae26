// Takes full-page screenshots of a running store at phone and desktop widths:
//   node end2end/screenshots.mjs http://127.0.0.1:3000 /tmp/shots / /nowhere
// With SHOT_EMAIL and SHOT_PASSWORD set, it signs in first (for the account and admin pages);
// with SHOT_DISMISS set, it refuses the optional cookies first (no banner in the pictures).
import { chromium } from 'playwright';
const [base = 'http://127.0.0.1:3000', out = '/tmp/shots', ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
for (const width of [390, 1280]) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, locale: 'fr-FR' });
  if (process.env.SHOT_EMAIL) {
    await page.goto(base + '/account/sign-in');
    await page.getByLabel('Adresse e-mail').fill(process.env.SHOT_EMAIL);
    await page.getByLabel('Mot de passe', { exact: true }).fill(process.env.SHOT_PASSWORD ?? '');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/account$/);
  }
  if (process.env.SHOT_DISMISS) {
    // Answer the cookie banner first, so it covers nothing in the pictures.
    await page.goto(base + '/');
    await page.getByRole('button', { name: 'Tout refuser' }).click();
  }
  for (const path of paths.length ? paths : ['/']) {
    await page.goto(base + path, { waitUntil: 'networkidle' });
    const name = `${out}/${width}${path.replace(/[^a-z0-9]+/gi, '_') || '_home'}.png`;
    await page.screenshot({ path: name, fullPage: !process.env.TOP });
    console.log(name);
  }
  await page.close();
}
await browser.close();
