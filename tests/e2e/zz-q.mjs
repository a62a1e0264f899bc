import { chromium } from 'playwright-core';
import { serveStatic } from './server.mjs';
const server = await serveStatic(process.env.DIST);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on('console', (m) => { if (m.text().startsWith('T ')) console.log(m.text()); });
await page.goto(`${server.origin}/?drug=inotuzumab&workers=2`);
await page.waitForFunction(() => document.body.dataset.engine === 'ready' && document.body.dataset.restore === 'done');
await page.setInputFiles('#file-input', [process.argv[2]]);
await page.waitForFunction(() => document.body.dataset.loading === 'false' && [...document.querySelectorAll('#file-list li.file')].some((li) => li.dataset.state === 'done'), null, { timeout: 600000, polling: 20 });
for (let i = 0; i < 3; i++) {
  await page.evaluate(() => { document.body.dataset.result = 'none'; document.body.dataset.table = 'none'; });
  const t0 = performance.now();
  await page.click('#run-button');
  await page.waitForFunction(() => document.body.dataset.table === 'ready', null, { polling: 10 });
  console.log('query', (performance.now() - t0).toFixed(0));
  await new Promise((r) => setTimeout(r, 1500));
}
await browser.close(); await server.close();
