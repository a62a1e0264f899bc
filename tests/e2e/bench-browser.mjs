// The page in headless Chromium as a user meets it, with W Web Workers (?workers=W): from the page
// being given the files (the file input's 'change' event, as a drop gives them), Run clicked at
// once (a reviewer who typed the drug first: the page waits for the files, then analyses), to the
// signal table of a drug; the query time after loading
// (from the Run button's handler to the table painted, in the page's clock), and the reopen
// time (reload: the quarters come back from the browser's storage, then the table).
// Peak memory: the summed VmRSS of every process of the browser instance (sampled from /proc every
// 100 ms), and each worker's wasm memory (WebAssembly.Memory, which only grows), per report.
// Not a test: a benchmark that prints figures (BENCHMARKS.md).
//
//   node tests/e2e/bench-browser.mjs [--workers 1,2,4] [--repeat N] [--drug NAME] [--json FILE] ZIP...
//
// With several zips it measures the first zip alone and then all of them. Each run starts from a
// fresh page with nothing kept ("Forget loaded data"), once its engine has warmed up (about 0.3 s
// after opening, before a reviewer could drop a file). Best (least) time of the repeats is shown.
// Environment: FAERS_DIST (the built page, default <repo>/dist), CHROMIUM (/usr/bin/chromium).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from './server.mjs';
import { endOfCentralDirectory } from './zips.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.FAERS_DIST || join(here, '..', '..', 'dist'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const args = process.argv.slice(2);
let repeat = 3;
let workerCounts = [1, 2, 4];
let drug = 'inotuzumab';
let jsonOut = null;
const zips = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--repeat') repeat = Number(args[++i]);
  else if (args[i] === '--workers') workerCounts = args[++i].split(',').map(Number);
  else if (args[i] === '--drug') drug = args[++i];
  else if (args[i] === '--json') jsonOut = resolve(args[++i]);
  else zips.push(resolve(args[i]));
}
if (!zips.length || !(repeat >= 1) || workerCounts.some((w) => !(w >= 1))) {
  console.error('usage: node tests/e2e/bench-browser.mjs [--workers 1,2,4] [--repeat N] [--drug NAME] [--json FILE] ZIP...');
  process.exit(2);
}
for (const z of zips) if (!existsSync(z)) throw new Error(`${z} not found`);

// ---- memory of the browser instance: the process tree under the browser process, from /proc.

function procTable() {
  const out = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.set(Number(pid), ppid);
    } catch {
      /* gone */
    }
  }
  return out;
}

function browserRoot(profile) {
  for (const [pid] of procTable()) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(profile) && !cmd.includes('--type=')) return pid;
    } catch {
      /* gone */
    }
  }
  return null;
}

function treeRss(root) {
  const table = procTable();
  const pids = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of table) {
      if (!pids.has(pid) && pids.has(ppid)) {
        pids.add(pid);
        grew = true;
      }
    }
  }
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      /* gone */
    }
  }
  return kb * 1024;
}

class RssSampler {
  constructor(root) {
    this.root = root;
    this.peak = 0;
    this.timer = setInterval(() => this.sample(), 100);
  }
  sample() {
    this.peak = Math.max(this.peak, treeRss(this.root));
  }
  reset() {
    this.peak = 0;
    this.sample();
  }
  stop() {
    clearInterval(this.timer);
  }
}

// ---- the page

const server = await serveStatic(DIST);
const results = [];
const since = (t) => (performance.now() - t) / 1000;

async function waitFor(page, fn, arg, timeout = 600_000) {
  await page.waitForFunction(fn, arg, { timeout, polling: 50 });
}

async function openPage(page, workers) {
  await page.goto(`${server.origin}/?drug=${encodeURIComponent(drug)}&workers=${workers}`);
  await waitFor(page, () => document.body.dataset.engine === 'ready' && document.body.dataset.restore === 'done'
    && document.body.dataset.warm);
}

/** The page's clock (performance.now() there), in ms. */
const pageNow = (page) => page.evaluate(() => performance.now());

/** Clicks Run (the table and what follows it to be drawn anew). */
async function clickRun(page) {
  await page.evaluate(() => {
    document.body.dataset.result = 'none';
    document.body.dataset.table = 'none';
  });
  await page.click('#run-button');
}

/**
 * Clicks Run and waits for everything to be drawn; returns the page-clock time (ms) at which the
 * signal table was painted (the figures and files below it follow).
 */
async function runQuery(page) {
  await clickRun(page);
  return tablePainted(page);
}

/** Waits for the result of the Run clicked to be drawn; the page-clock time (ms) the table was painted. */
async function tablePainted(page) {
  await waitFor(page, () => document.body.dataset.result === 'ready' || !document.querySelector('#query-alert').hidden);
  const alert = await page.$eval('#query-alert', (n) => (n.hidden ? '' : n.textContent));
  if (alert) throw new Error(`the page reported: ${alert}`);
  return Number(await page.evaluate(() => document.body.dataset.tableAt));
}

/** A query on the loaded data, timed in the page from its Run handler to the table painted (s). */
async function timeQuery(page) {
  const tableAt = await runQuery(page);
  return (tableAt - Number(await page.evaluate(() => document.body.dataset.runAt))) / 1000;
}

async function measure(page, sampler, workers, files) {
  // A fresh page with nothing loaded or kept.
  await openPage(page, workers);
  if ((await page.$$('#file-list li.file')).length) {
    await page.click('#clear-button');
    await waitFor(page, () => document.querySelectorAll('#file-list li.file').length === 0 && document.body.dataset.stored === '0');
    await openPage(page, workers);
  }
  sampler.reset();
  // Times in the page's clock: from giving the files to the table painted.
  await page.evaluate(() => delete document.body.dataset.filesAt);
  const called = await pageNow(page);
  await page.setInputFiles('#file-input', files);
  await clickRun(page);
  // From the page being given the files (its 'change' event), as a drop would give them:
  // Playwright's setInputFiles takes another 40-60 ms to get there, which no user waits for.
  const t0 = Number(await page.evaluate(() => document.body.dataset.filesAt));
  const harness = (t0 - called) / 1000;
  await waitFor(page, (n) => document.body.dataset.loading === 'false'
    && [...document.querySelectorAll('#file-list li.file')].filter((li) => li.dataset.state === 'done').length === n, files.length);
  const loadedAt = Number(await page.evaluate(() => document.body.dataset.loadedAt));
  const load = (loadedAt - t0) / 1000;
  const tableAt = await tablePainted(page);
  // After loading: the deduplication, the analysis and the page drawing the table.
  const query = (tableAt - loadedAt) / 1000;
  // From the files given to the table painted.
  const table = (tableAt - t0) / 1000;
  const loadPeak = sampler.peak;
  const paths = await page.$$eval('#file-list li.file', (lis) => lis.map((li) => li.dataset.path));
  const wasm = await page.evaluate(() => self.faersMemory());
  const reports = await page.evaluate(() => {
    let n = 0;
    for (const dd of document.querySelectorAll('#summary [data-count="demo_rows"] dd')) n = Number(dd.textContent.replace(/,/g, ''));
    return n;
  });
  // Kept for next time (a moment after loading), then a query on the loaded data, then the page is opened again.
  await waitFor(page, (n) => document.body.dataset.stored === String(n), files.length);
  const query2 = await timeQuery(page);
  sampler.reset();
  const t1 = performance.now();
  await page.reload();
  await waitFor(page, (n) => document.body.dataset.restore === 'done'
    && [...document.querySelectorAll('#file-list li.file')].filter((li) => li.dataset.state === 'done').length === n, files.length);
  const restore = since(t1);
  const tq3 = await pageNow(page);
  const reopen = restore + (await runQuery(page) - tq3) / 1000;
  const reopenPeak = sampler.peak;
  return { load, table, harness, query: query2, firstQuery: query, restore, reopen, loadPeak, reopenPeak, wasm, reports, paths };
}

const textMB = (files) => files.reduce((n, f) => n + zipTextBytes(f), 0) / 1e6;

/** The uncompressed size of a zip's members, from its central directory. */
function zipTextBytes(path) {
  const buf = readFileSync(path);
  const eocd = endOfCentralDirectory(buf);
  if (eocd < 0) return statSync(path).size;
  let count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  let total = 0;
  while (count-- > 0 && buf.readUInt32LE(p) === 0x02014b50) {
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    if (size === 0xffffffff) {
      // zip64: the size is in the extra field
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e < end) {
        const id = buf.readUInt16LE(e);
        if (id === 1) {
          size = Number(buf.readBigUInt64LE(e + 4));
          break;
        }
        e += 4 + buf.readUInt16LE(e + 2);
      }
    }
    total += size;
    p += 46 + nameLen + extraLen + buf.readUInt16LE(p + 32);
  }
  return total;
}

const sets = zips.length > 1 ? [[zips[0]], zips] : [zips];
const fmtMB = (b) => (b / 1e6).toFixed(0);
try {
  for (const workers of workerCounts) {
    const profile = mkdtempSync(join(tmpdir(), 'faers-bench-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    context.setDefaultTimeout(600_000);
    const root = browserRoot(profile);
    if (!root) throw new Error('the browser process was not found in /proc');
    const sampler = new RssSampler(root);
    try {
      const page = context.pages()[0] || (await context.newPage());
      page.on('pageerror', (err) => console.error(`page error: ${err}`));
      for (const files of sets) {
        const runs = [];
        for (let r = 0; r < repeat; r++) runs.push(await measure(page, sampler, workers, files));
        const best = (k) => Math.min(...runs.map((x) => x[k]));
        const max = (k) => Math.max(...runs.map((x) => x[k]));
        const mb = textMB(files);
        const last = runs[runs.length - 1];
        const readers = last.wasm.readers.map((x) => x.bytes);
        results.push({
          workers,
          files: files.map((f) => basename(f)),
          text_mb: Number(mb.toFixed(1)),
          paths: last.paths,
          runs,
          best: {
            load_s: best('load'), table_s: best('table'), query_s: best('query'), restore_s: best('restore'), reopen_s: best('reopen'),
          },
          mb_per_s: mb / best('load'),
          peak_rss_bytes: max('loadPeak'),
          reopen_peak_rss_bytes: max('reopenPeak'),
          wasm_analysis_bytes: last.wasm.analysis,
          wasm_reader_bytes: readers,
          reports: last.reports,
          analysis_bytes_per_report: last.reports ? last.wasm.analysis / last.reports : null,
        });
        const x = results[results.length - 1];
        console.error(`W=${workers} ${x.files.length} file(s): table ${x.best.table_s.toFixed(2)} s (${last.paths.join(',')})`);
      }
    } finally {
      sampler.stop();
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
} finally {
  await server.close();
}

// Scaling against W = 1 (or the smallest W measured) for the same files.
const base = (r) => results.find((x) => x.files.join() === r.files.join() && x.workers === Math.min(...workerCounts));
for (const r of results) r.speedup = base(r).best.table_s / r.best.table_s;

console.log(['W', 'files', 'text MB', 'load s', 'MB/s', 'to table s', 'speed-up', 'query s', 'reopen s', 'peak RSS MB', 'reopen RSS MB',
  'wasm analysis MB', 'wasm readers MB', 'B/report'].join('\t'));
for (const r of results) {
  console.log([
    r.workers, r.files.length === 1 ? r.files[0] : `${r.files.length} files`, r.text_mb.toFixed(0), r.best.load_s.toFixed(2), r.mb_per_s.toFixed(0),
    r.best.table_s.toFixed(2), `${r.speedup.toFixed(2)}x`, r.best.query_s.toFixed(2), r.best.reopen_s.toFixed(2), fmtMB(r.peak_rss_bytes),
    fmtMB(r.reopen_peak_rss_bytes), fmtMB(r.wasm_analysis_bytes), r.wasm_reader_bytes.map(fmtMB).join('+') || '-',
    r.analysis_bytes_per_report ? r.analysis_bytes_per_report.toFixed(0) : '-',
  ].join('\t'));
}
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ drug, repeat, workers: workerCounts, results }, null, 2)}\n`);
