// The edit loop, measured as a developer lives it: `cargo leptos watch` serving the store, a page
// open in Chromium, a one-line change saved in a component (an attribute on the footer, in
// app/src/routes/layout.rs), and the time until the page has reloaded with the change. Repeats
// ROUNDS times (default 3) and restores the file. Run by scripts/edit-loop.sh.
import { chromium } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';

const file = 'app/src/routes/layout.rs';
const marker = '<footer class="site-footer"';
const url = process.env.EDIT_LOOP_URL ?? 'http://127.0.0.1:3000/';
const rounds = Number(process.env.ROUNDS ?? 3);
const original = readFileSync(file, 'utf8');
if (!original.includes(`${marker}>`)) throw new Error(`${file} no longer has ${marker}>`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const restore = () => writeFileSync(file, original);
process.on('SIGINT', () => { restore(); process.exit(130); });
try {
  const page = await browser.newPage();
  await page.goto(url);
  const times = [];
  for (let round = 1; round <= rounds; round++) {
    const stamp = `${Date.now()}`;
    const start = performance.now();
    writeFileSync(file, original.replace(`${marker}>`, `${marker} data-edit="${stamp}">`));
    // cargo-leptos reloads the page through its websocket once the server is back.
    await page.waitForSelector(`footer[data-edit="${stamp}"]`, { state: 'attached', timeout: 600_000 });
    const seconds = (performance.now() - start) / 1000;
    times.push(seconds);
    console.log(`round ${round}: saved → reloaded page in ${seconds.toFixed(1)} s`);
    // Let the watcher settle before the next save.
    await new Promise((r) => setTimeout(r, 3000));
  }
  times.sort((a, b) => a - b);
  console.log(`median ${times[Math.floor(times.length / 2)].toFixed(1)} s over ${times.length} rounds`);
} finally {
  restore();
  await browser.close();
}
