// Reading speed in headless Chromium: one Web Worker (the page's own worker.js and wasm)
// reads each zip, timed from the request to the summary. Not a test: a benchmark that
// prints figures (BENCHMARKS.md).
//
//   node tests/e2e/bench-browser.mjs [--repeat N] ZIP...
//
// Environment: FAERS_DIST (the built page, default <repo>/dist), CHROMIUM (/usr/bin/chromium).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.FAERS_DIST || join(here, '..', '..', 'dist'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const args = process.argv.slice(2);
let repeat = 3;
const zips = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--repeat') repeat = Number(args[++i]);
  else zips.push(resolve(args[i]));
}
if (!zips.length) {
  console.error('usage: node tests/e2e/bench-browser.mjs [--repeat N] ZIP...');
  process.exit(2);
}
for (const z of zips) if (!existsSync(z)) throw new Error(`${z} not found`);

const server = await serveStatic(DIST);
const profile = mkdtempSync(join(tmpdir(), 'faers-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(`${server.origin}/`);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-files';
    input.multiple = true;
    input.hidden = true;
    document.body.append(input);
  });
  await page.setInputFiles('#bench-files', zips);
  console.log(['file', 'text MB', 'first read s', 'best read s', 'MB/s (best)'].join('\t'));
  for (let f = 0; f < zips.length; f++) {
    const runs = await page.evaluate(
      async ({ f, repeat }) => {
        const file = document.getElementById('bench-files').files[f];
        const out = [];
        // One worker (one wasm instance) per file, as in the page: the first read runs while
        // V8 still tiers the wasm up (cold), later reads after `clear` show the steady state.
        const worker = new Worker(new URL('web/worker.js', document.baseURI), { type: 'module' });
        await new Promise((ok, fail) => {
          worker.onmessage = (e) => (e.data.type === 'ready' ? ok() : e.data.type === 'fatal' && fail(e.data.message));
        });
        const call = (message) =>
          new Promise((ok, fail) => {
            worker.onmessage = (e) => {
              if (e.data.type === 'ok') ok(e.data.value);
              else if (e.data.type === 'error') fail(new Error(e.data.message));
            };
            worker.postMessage(message);
          });
        for (let r = 0; r < repeat; r++) {
          const started = performance.now();
          const summary = await call({ id: 2 * r + 1, type: 'add', name: file.name, blob: file });
          const seconds = (performance.now() - started) / 1000;
          if (summary.error) throw new Error(summary.error);
          out.push({ seconds, textBytes: summary.text_bytes });
          await call({ id: 2 * r + 2, type: 'clear' });
        }
        worker.terminate();
        return out;
      },
      { f, repeat },
    );
    const best = Math.min(...runs.map((r) => r.seconds));
    const mb = runs[0].textBytes / 1e6;
    console.log(
      [basename(zips[f]), mb.toFixed(1), runs[0].seconds.toFixed(2), best.toFixed(2), (mb / best).toFixed(0)].join('\t'),
    );
  }
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
