import { chromium } from 'playwright-core';
import { serveStatic } from './server.mjs';
import { readdirSync, readFileSync } from 'node:fs';
const server = await serveStatic(process.env.DIST);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
page.on('console', (m) => { if (m.text().startsWith('T ')) console.log(m.text()); });
await page.goto(`${server.origin}/?drug=inotuzumab&workers=${process.env.W || 2}`);
await page.waitForFunction(() => document.body.dataset.engine === 'ready' && document.body.dataset.restore === 'done');
await new Promise((r) => setTimeout(r, 500));
function cpu() { const m = new Map(); for (const pid of readdirSync('/proc')) { if (!/^\d+$/.test(pid)) continue; try { const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); if (!cmd.includes('chromium')) continue; const type = (cmd.match(/--type=([a-z-]+)/) || [, 'browser'])[1] + (cmd.includes('--utility-sub-type') ? ':' + cmd.match(/--utility-sub-type=([^\0]+)/)[1] : ''); const st = readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' '); m.set(pid + ' ' + type, Number(f[11]) + Number(f[12])); } catch {} } return m; }
const before = cpu();
const t0 = Date.now();
await page.setInputFiles('#file-input', [process.argv[2]]);
await page.waitForFunction(() => document.body.dataset.loading === 'false' && [...document.querySelectorAll('#file-list li.file')].some((li) => li.dataset.state === 'done'), null, { timeout: 600000, polling: 20 });
const wall = Date.now() - t0;
const after = cpu();
for (const [k, v] of after) { const d = v - (before.get(k) || 0); if (d > 2) console.log(k, (d * 10) + ' ms cpu'); }
console.log('wall', wall);
await browser.close(); await server.close();
