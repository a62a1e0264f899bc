// End-to-end test of the built page in Debian's headless Chromium: node --test tests/e2e/
//
// Environment:
//   FAERS_DIST  the built page (trunk's dist/)                    default <repo>/dist
//   FAERS_BIN   the native `faers` binary                          default <repo>/target/{release,debug}/faers
//   FAERS_DEMO  the demo zips + manifest.json (dist/web/demo)      default $FAERS_DIST/web/demo
//   CHROMIUM    the browser                                        default /usr/bin/chromium
//
// The page and the CLI run the same core: the page's downloaded JSON must equal the CLI's.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const DIST = resolve(process.env.FAERS_DIST || join(repo, 'dist'));
const DEMO = resolve(process.env.FAERS_DEMO || join(DIST, 'web', 'demo'));
const BIN = resolve(
  process.env.FAERS_BIN ||
    [join(repo, 'target', 'release', 'faers'), join(repo, 'target', 'debug', 'faers')].find((p) => existsSync(p)) ||
    join(repo, 'target', 'release', 'faers'),
);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// FDA's real 2017Q2 sample (100 reports) from the shared folder beside the repository.
const REAL_2017Q2 = resolve(
  process.env.FAERS_REALDATA || join(repo, '..', 'shared', 'realdata'),
  'faers-2017q2-sample',
  'faers_ascii_2017q2.zip',
);
const OUT = join(here, 'out');
const TERMS = ['inotuzumab', 'besponsa'];
const DASH = '–';

for (const [what, path] of [
  ['FAERS_DIST (the built page)', join(DIST, 'index.html')],
  ['FAERS_DEMO (demo zips + manifest)', join(DEMO, 'manifest.json')],
  ['FAERS_BIN (the faers binary)', BIN],
  ['Chromium', CHROMIUM],
  ['the real 2017Q2 sample (shared/realdata)', REAL_2017Q2],
]) {
  if (!existsSync(path)) throw new Error(`${what} not found: ${path}`);
}

const manifest = JSON.parse(readFileSync(join(DEMO, 'manifest.json'), 'utf8'));
const demoZips = manifest.files.map((f) => join(DEMO, f.name));

const tmp = mkdtempSync(join(tmpdir(), 'faers-e2e-'));
let server;
let context;
let page;
const pageErrors = [];
const browserRequests = [];
const offOriginAttempts = [];

/** Runs `faers analyze` with the page's default settings; returns the parsed JSON. */
function cli(zips, name, terms = TERMS) {
  const out = join(tmp, `${name}.json`);
  const args = ['analyze', ...terms.flatMap((t) => ['--drug', t]), '--match', 'contains', '--roles', 'PS,SS',
    '--unit', 'reports', '--dedup', 'fda', '--deleted', 'apply', '--json', out, ...zips];
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `faers ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** What the page must show for a signal row (numbers as formatted, thousands separators removed). */
function expectedRow(s) {
  return {
    pt: s.pt,
    a: String(s.a),
    b: String(s.b),
    c: String(s.c),
    d: String(s.d),
    ror: s.ror === null ? DASH : s.ror.toFixed(2),
    signal: s.signal ? 'yes' : 'no',
  };
}

async function tableRows() {
  const rows = await page.$$eval('#signal-table tbody tr', (trs) =>
    trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((c) => [c.dataset.col, c.textContent.trim()]))),
  );
  return rows.map((r) => ({
    pt: r.pt,
    a: r.a.replace(/,/g, ''),
    b: r.b.replace(/,/g, ''),
    c: r.c.replace(/,/g, ''),
    d: r.d.replace(/,/g, ''),
    ror: r.ror.replace(/,/g, ''),
    signal: r.signal,
  }));
}

/** Paths where two JSON values differ, with the relative difference of numbers (for readable failures). */
function jsonDiff(a, b, path = '$', out = []) {
  if (out.length >= 12) return out;
  if (typeof a === 'number' && typeof b === 'number') {
    if (!Object.is(a, b)) out.push(`${path}: ${a} vs ${b} (relative difference ${(Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))).toExponential(1)})`);
  } else if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) jsonDiff(a[k], b[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`, out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`);
  }
  return out;
}

function assertSameJson(page, cli, what) {
  const diff = jsonDiff(page, cli);
  assert.ok(diff.length === 0, `${what}: the page's JSON differs from the CLI's at\n  ${diff.join('\n  ')}` +
    (diff.some((d) => /relative difference [1-9](\.\d)?e-1[56]/.test(d))
      ? '\n(last-bit float differences: native and wasm builds use different exp/ln implementations unless the core uses the libm crate)'
      : ''));
  assert.deepStrictEqual(page, cli);
}

const rorValue = (text) => (text === DASH ? null : Number(text));

/** Clicks a button and returns the download's parsed JSON (and its suggested name). */
async function downloadJson() {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const file = join(tmp, `download-${Date.now()}.json`);
  await download.saveAs(file);
  return { name: download.suggestedFilename(), json: JSON.parse(readFileSync(file, 'utf8')) };
}

async function waitForFiles(n) {
  await page.waitForFunction(
    (count) => {
      const items = [...document.querySelectorAll('#file-list li.file')];
      return items.length === count && items.every((li) => li.dataset.state === 'done' || li.dataset.state === 'error');
    },
    n,
  );
}

async function runAnalysis() {
  await page.evaluate(() => {
    document.body.dataset.result = 'none';
  });
  await page.click('#run-button');
  await page.waitForFunction(() => document.body.dataset.result === 'ready' || !document.querySelector('#query-alert').hidden);
  const alert = await page.$eval('#query-alert', (n) => (n.hidden ? '' : n.textContent));
  assert.equal(alert, '', `the page reported an error: ${alert}`);
}

before(async () => {
  server = await serveStatic(DIST);
  context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(20_000);
  const origin = server.origin;
  context.on('request', (req) => browserRequests.push(req.url()));
  // Anything bound elsewhere that gets past the page's CSP is recorded and never leaves the machine.
  await context.route(
    (url) => /^(https?|wss?):/.test(url.protocol) && url.origin !== origin,
    (route) => {
      offOriginAttempts.push(route.request().url());
      return route.abort();
    },
  );
  page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  await page.goto(`${origin}/`);
});

after(async () => {
  await context?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('FAERS page', () => {
  let cliResult;

  test('demo data: the page result equals the CLI result', async () => {
    await page.getByRole('button', { name: 'Try the demo data' }).click();
    await waitForFiles(manifest.files.length);
    const states = await page.$$eval('#file-list li.file', (lis) => lis.map((li) => [li.dataset.name, li.dataset.state]));
    assert.deepEqual(states, manifest.files.map((f) => [f.name, 'done']));

    // The demo is visibly labelled synthetic.
    assert.equal(manifest.synthetic, true);
    assert.ok(await page.isVisible('#demo-note'), 'the synthetic-data note is visible');
    assert.match(await page.textContent('#demo-note'), /synthetic/i);

    // Quarter and per-table rows are shown per file.
    const firstFile = await page.textContent('#file-list li.file');
    assert.match(firstFile, new RegExp(manifest.files[0].quarter));

    await page.fill('#term-input', TERMS.join(', '));
    await page.press('#term-input', 'Enter'); // Enter runs
    await page.waitForFunction(() => document.body.dataset.result === 'ready');
    assert.deepEqual(await page.$$eval('#chips .chip-text', (n) => n.map((x) => x.textContent)), TERMS);
    assert.ok((await page.$$('#signal-table tbody tr')).length > 0, 'the signal table has rows');

    cliResult = cli(demoZips, 'demo');
    const { name, json } = await downloadJson();
    assert.equal(name, 'faers-result.json');
    assertSameJson(json, cliResult, 'demo analysis');

    // Summary shows the engine's counts.
    for (const key of ['demo_rows', 'reports', 'deleted_removed', 'superseded_removed', 'target_reports']) {
      const text = await page.textContent(`#summary [data-count="${key}"] dd`);
      assert.equal(text.replace(/,/g, ''), String(cliResult.counts[key]), `counts.${key}`);
    }
    // Matched spellings.
    const matched = await page.textContent('#matched-table tbody');
    for (const m of cliResult.matched_names) assert.ok(matched.includes(m.name), `matched name ${m.name} shown`);

    // Every signal row, as the CLI computed it.
    assert.equal(await page.inputValue('#pt-filter'), '');
    assert.equal(await page.isChecked('#signals-only'), false);
    const shown = await tableRows();
    const byPt = (x, y) => (x.pt < y.pt ? -1 : x.pt > y.pt ? 1 : 0);
    assert.deepStrictEqual([...shown].sort(byPt), cliResult.signals.map(expectedRow).sort(byPt));

    // Default order: signals first, then ROR descending (undefined ROR last).
    const key = (r) => [r.signal === 'yes' ? 1 : 0, rorValue(r.ror)];
    for (let i = 1; i < shown.length; i++) {
      const [s0, r0] = key(shown[i - 1]);
      const [s1, r1] = key(shown[i]);
      assert.ok(s0 > s1 || (s0 === s1 && (r1 === null || (r0 !== null && r0 >= r1))), `row ${i} is in default order`);
    }
    assert.equal(await page.getAttribute('#signal-table th[data-key="signal"]', 'aria-sort'), 'descending');

    // The view is bookmarkable: terms in the URL.
    const url = new URL(page.url());
    assert.deepEqual(url.searchParams.getAll('drug'), TERMS);
  });

  test('screenshot of the results', async () => {
    mkdirSync(OUT, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, 'results.png'), fullPage: true });
    await page.locator('#results').screenshot({ path: join(OUT, 'results-table.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(OUT, 'results-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('sorting, filtering and the signals-only toggle', async () => {
    const ror = '#signal-table th[data-key="ror"]';
    const expected = cliResult.signals.map((s) => s.ror);
    const fmt = (v) => (v === null ? DASH : v.toFixed(2));
    const desc = [...expected.filter((v) => v !== null).sort((x, y) => y - x), ...expected.filter((v) => v === null)];
    const asc = [...expected.filter((v) => v !== null).sort((x, y) => x - y), ...expected.filter((v) => v === null)];

    await page.click(`${ror} button`);
    assert.equal(await page.getAttribute(ror, 'aria-sort'), 'descending');
    assert.deepEqual((await tableRows()).map((r) => r.ror), desc.map(fmt));

    await page.click(`${ror} button`);
    assert.equal(await page.getAttribute(ror, 'aria-sort'), 'ascending');
    assert.deepEqual((await tableRows()).map((r) => r.ror), asc.map(fmt));
    assert.equal(await page.getAttribute('#signal-table th[data-key="signal"]', 'aria-sort'), 'none');

    // Keyboard: the header buttons are focusable and Enter sorts.
    await page.focus('#signal-table th[data-key="pt"] button');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#signal-table th[data-key="pt"]', 'aria-sort'), 'ascending');
    const pts = (await tableRows()).map((r) => r.pt);
    assert.deepEqual(pts, [...pts].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base', numeric: true })));

    // Filter by PT text.
    const probe = cliResult.signals[0].pt.slice(0, 4);
    await page.fill('#pt-filter', probe);
    const filtered = await tableRows();
    assert.equal(filtered.length, cliResult.signals.filter((s) => s.pt.toLowerCase().includes(probe.toLowerCase())).length);
    await page.fill('#pt-filter', '');

    // Signals only.
    await page.check('#signals-only');
    const onlySignals = await tableRows();
    assert.equal(onlySignals.length, cliResult.signals.filter((s) => s.signal).length);
    assert.ok(onlySignals.every((r) => r.signal === 'yes'));
    await page.uncheck('#signals-only');
    assert.equal((await tableRows()).length, cliResult.signals.length);

    // CSV of the table.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    const csvFile = join(tmp, 'signals.csv');
    await download.saveAs(csvFile);
    const lines = readFileSync(csvFile, 'utf8').trim().split(/\r?\n/);
    assert.match(lines[0], /^pt,a,b,c,d,ror,ror_lower,ror_upper,/);
    assert.equal(lines.length - 1, cliResult.signals.length);
  });

  test('nothing leaves the machine: same-origin requests only, CSP blocks other origins', async () => {
    const origin = server.origin;
    assert.ok(browserRequests.length > 0);
    const elsewhere = browserRequests.filter((u) => /^(https?|wss?):/.test(u) && new URL(u).origin !== origin);
    assert.deepEqual(elsewhere, [], 'every request went to the test server');
    assert.deepEqual(offOriginAttempts, []);
    const served = server.requests.map((r) => r.path);
    for (const p of ['/web/worker.js', '/faers-wasm.js', '/faers-wasm_bg.wasm', '/web/demo/manifest.json']) {
      assert.ok(served.some((s) => s.split('?')[0] === p), `${p} was served by the test server`);
    }

    const outcome = await page.evaluate(async () => {
      const violation = new Promise((resolveViolation) => {
        document.addEventListener(
          'securitypolicyviolation',
          (e) => resolveViolation({ directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI }),
          { once: true },
        );
      });
      let rejected = false;
      try {
        await fetch('http://127.0.0.2:9/x');
      } catch {
        rejected = true;
      }
      const v = await Promise.race([violation, new Promise((r) => setTimeout(() => r(null), 5000))]);
      return { rejected, violation: v };
    });
    assert.equal(outcome.rejected, true, 'the cross-origin fetch was refused');
    assert.ok(outcome.violation, 'a securitypolicyviolation event fired');
    assert.equal(outcome.violation.directive, 'connect-src');
    assert.match(outcome.violation.blocked, /^http:\/\/127\.0\.0\.2:9/);
    assert.deepEqual(offOriginAttempts, [], 'the blocked fetch never reached the network');
  });

  test('a file that is not a zip is reported by name; the other file is still analysed', async () => {
    await page.click('#clear-button');
    await page.waitForFunction(() => document.querySelectorAll('#file-list li.file').length === 0 && document.body.dataset.result === 'none');

    const notes = join(tmp, 'notes.zip');
    writeFileSync(notes, 'These are my notes, not a zip archive.\n');
    await page.setInputFiles('#file-input', [notes, demoZips[0]]);
    await waitForFiles(2);
    const error = await page.textContent('#file-list li.file[data-name="notes.zip"] .file-error');
    assert.match(error, /notes\.zip/);
    assert.equal(await page.getAttribute(`#file-list li.file[data-name="${manifest.files[0].name}"]`, 'data-state'), 'done');

    await runAnalysis();
    const single = cli([demoZips[0]], 'single');
    const { json } = await downloadJson();
    assertSameJson(json.counts, single.counts, 'counts');
    assertSameJson(json.signals, single.signals, 'signals');
    assertSameJson(json.matched_names, single.matched_names, 'matched names');
    assert.equal((await tableRows()).length, single.signals.length);
  });

  test('FDA real 2017Q2 sample: row counts and signals equal the CLI', async () => {
    const terms = ['risperdal', 'risperidone'];
    const query = terms.map((t) => `drug=${encodeURIComponent(t)}`).join('&');
    await page.goto(`${server.origin}/?${query}`);
    await page.setInputFiles('#file-input', [REAL_2017Q2]);
    await waitForFiles(1);
    assert.equal(await page.getAttribute('#file-list li.file', 'data-state'), 'done');
    assert.deepEqual(await page.$$eval('#chips .chip-text', (n) => n.map((x) => x.textContent)), terms);
    await runAnalysis();
    const real = cli([REAL_2017Q2], 'real-2017q2', terms);
    const { json } = await downloadJson();
    assertSameJson(json, real, 'real 2017Q2 analysis');
    assert.deepEqual(real.inputs[0].tables, { DEMO: 100, DRUG: 328, INDI: 232, OUTC: 75, REAC: 286, RPSR: 2, THER: 142 });
    assert.equal(real.inputs[0].skipped_lines, 0);
    assert.ok(real.counts.target_reports > 0, 'the sample has reports naming the drug');
    const byPt = (x, y) => (x.pt < y.pt ? -1 : x.pt > y.pt ? 1 : 0);
    assert.deepStrictEqual((await tableRows()).sort(byPt), real.signals.map(expectedRow).sort(byPt));
  });

  test('no uncaught errors in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
