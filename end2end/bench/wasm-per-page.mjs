// The WASM and JavaScript each page makes the browser download, as sent (brotli), with an
// empty cache: node end2end/bench/wasm-per-page.mjs http://127.0.0.1:3400 / /products …
// (scripts/bench.sh runs it). Lazy islands' chunks count on the pages that load them.
import { chromium } from 'playwright';

const [base, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const kb = (n) => (n / 1024).toFixed(1).padStart(7);
console.log('| page | WASM files | WASM KB (brotli) | JS KB (brotli) |');
console.log('|---|---:|---:|---:|');
for (const path of paths) {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const sizes = [];
  page.on('requestfinished', async (request) => {
    const url = request.url();
    if (url.endsWith('.wasm') || url.endsWith('.js')) {
      sizes.push(request.sizes().then((s) => ({ url, bytes: s.responseBodySize })));
    }
  });
  await page.goto(base + path, { waitUntil: 'networkidle' });
  // Islands hydrate once the page is idle; lazy ones then fetch their chunks.
  await page.waitForTimeout(1500);
  await page.waitForLoadState('networkidle');
  const files = await Promise.all(sizes);
  const wasm = files.filter((f) => f.url.endsWith('.wasm'));
  const js = files.filter((f) => f.url.endsWith('.js'));
  const sum = (list) => list.reduce((n, f) => n + f.bytes, 0);
  console.log(`| ${path} | ${wasm.length} | ${kb(sum(wasm))} | ${kb(sum(js))} |`);
  await context.close();
}
await browser.close();
