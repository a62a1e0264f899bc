import { chromium } from 'playwright-core';
import { serveStatic } from './server.mjs';
import { readFileSync } from 'node:fs';
const server = await serveStatic(process.env.DIST);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${server.origin}/?drug=inotuzumab&workers=2`);
await page.waitForFunction(() => document.body.dataset.engine === 'ready' && document.body.dataset.restore === 'done');
await page.setInputFiles('#file-input', [process.argv[2]]);
await page.waitForFunction(() => document.body.dataset.loading === 'false' && [...document.querySelectorAll('#file-list li.file')].some((li) => li.dataset.state === 'done'), null, { timeout: 600000, polling: 20 });
for (let i = 0; i < 2; i++) {
  await page.evaluate(() => { document.body.dataset.result = 'none'; });
  if (i === 1) await browser.startTracing(page, { path: '/tmp/prof/trace.json', categories: ['devtools.timeline', 'blink', 'cc'] });
  await page.click('#run-button');
  await page.waitForFunction(() => document.body.dataset.result === 'ready', null, { polling: 10 });
  await new Promise((r) => setTimeout(r, 1000));
}
await browser.stopTracing();
await browser.close(); await server.close();
const ev = JSON.parse(readFileSync('/tmp/prof/trace.json', 'utf8')).traceEvents;
const sums = new Map();
for (const e of ev) if (e.ph === 'X' && e.dur) sums.set(e.name, (sums.get(e.name) || 0) + e.dur);
console.log([...sums].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(1)} ms ${k}`).join('\n'));
