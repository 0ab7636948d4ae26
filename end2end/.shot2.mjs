import { chromium } from 'playwright';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const [url] = process.argv.slice(2);
for (const width of [390, 1280]) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, locale: 'fr-FR' });
  await page.context().addCookies([{ name: 'comptoir_consent', value: `1.${Math.floor(Date.now()/1000)}.000.shot`, domain: '127.0.0.1', path: '/' }]);
  // A 204 answer to a navigation leaves the page where it is: the hand-off page stays.
  await page.route('http://127.0.0.1:3190/**', route => route.fulfill({ status: 204 }));
  await page.goto(url);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/shots/${width}_handoff.png`, fullPage: true });
  await page.close();
}
await browser.close();
