import { chromium } from 'playwright-core';
import { serveStatic } from './server.mjs';
const server = await serveStatic(process.env.DIST || '/work/main/dist');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
page.on('console', (m) => console.log('console:', m.text()));
await page.goto(`${server.origin}/?drug=inotuzumab&workers=2`);
await page.waitForFunction(() => document.body.dataset.engine === 'ready' && document.body.dataset.restore === 'done');
let t0 = performance.now();
await page.setInputFiles('#file-input', [process.argv[2]]);
await page.waitForFunction(() => document.body.dataset.loading === 'false' && [...document.querySelectorAll('#file-list li.file')].some((li) => li.dataset.state === 'done'), null, { timeout: 600000, polling: 20 });
console.log('load', ((performance.now() - t0) / 1000).toFixed(2));
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
for (let i = 0; i < 3; i++) {
  await page.evaluate(() => { document.body.dataset.result = 'none'; });
  if (i === 2) { await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start'); }
  t0 = performance.now();
  await page.click('#run-button');
  await page.waitForFunction(() => document.body.dataset.result === 'ready', null, { polling: 10 });
  console.log('query', ((performance.now() - t0) / 1000).toFixed(3));
}
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map((n) => [n.id, n]));
for (let i = 0; i < profile.samples.length; i++) { const n = byId.get(profile.samples[i]); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) || 0) + (dt[i] || 0)); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(1)} ms ${k}`).join('\n'));
await browser.close(); await server.close();
