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
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from './server.mjs';
import { readZip, writeZip } from './zips.mjs';

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

/** Runs `faers analyze` with the page's default settings (plus `extra` options); returns the parsed JSON. */
function cli(zips, name, terms = TERMS, extra = []) {
  const out = join(tmp, `${name}.json`);
  const args = ['analyze', ...terms.flatMap((t) => ['--drug', t]), '--match', 'contains', '--roles', 'PS,SS',
    '--unit', 'reports', '--dedup', 'fda', '--deleted', 'apply', ...extra, '--json', out, ...zips];
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `faers ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** Runs `faers case` (default deduplication plus `extra` options); returns the parsed JSON. */
function cliCase(zips, caseid, extra = []) {
  const out = join(tmp, `case-${caseid}.json`);
  const args = ['case', '--caseid', String(caseid), ...extra, '--json', out, ...zips];
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `faers ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** The lines of the zip member whose name matches `re` (header first, blank lines dropped). */
function memberLines(zip, re) {
  const name = Object.keys(zip).find((n) => re.test(n));
  if (!name) throw new Error(`no member matching ${re}`);
  return zip[name].toString('utf8').split(/\r?\n/).filter((l) => l.trim());
}

/** `$`-separated rows as objects keyed by the lower-cased header, with the raw line. */
function dollarRows(lines) {
  const head = lines[0].split('$').map((h) => h.toLowerCase());
  return lines.slice(1).map((line) => ({ line, ...Object.fromEntries(line.split('$').map((v, i) => [head[i], v])) }));
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
  const rows = await page.$$eval('#signal-table tbody tr[data-pt]', (trs) =>
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

/** A measure as the page formats it (2 decimals, thousands separators removed; "–" when undefined). */
const dec2 = (v) => (v === null || v === undefined ? DASH : v.toFixed(2));
const ci2 = (lo, hi) => (lo === null || hi === null || lo === undefined || hi === undefined ? DASH : `${lo.toFixed(2)}–${hi.toFixed(2)}`);

/** The cells of the given data-col keys of every signal row, by PT (thousands separators removed). */
async function columnValues(keys) {
  return page.$$eval('#signal-table tbody tr[data-pt]', (trs, ks) =>
    Object.fromEntries(trs.map((tr) => [tr.dataset.pt, Object.fromEntries(ks.map((k) => {
      const c = tr.querySelector(`[data-col="${k}"]`);
      return [k, c ? c.textContent.trim().replace(/,/g, '') : null];
    }))])), keys);
}

/** Sets the query's conventions back to the defaults. */
async function defaultConventions() {
  for (const [sel, v] of [['#opt-criterion', 'evans'], ['#opt-chi2', 'pearson'], ['#opt-criterion', 'study'], ['#opt-adjust', 'none'], ['#opt-z', '1.96'],
    ['#opt-zero', 'undefined'], ['#opt-ic', 'closed'], ['#opt-ebgm-lik', 'component']]) await page.selectOption(sel, v);
  if (await page.isChecked('#opt-ebgm')) await page.uncheck('#opt-ebgm');
}

/** A tiny MedDRA-format release written here (MedDRA itself is licensed and never shipped). */
function writeMeddraFixture(dir) {
  mkdirSync(dir, { recursive: true });
  const lines = (rows) => `${rows.map((r) => `${r.join('$')}$`).join('\r\n')}\r\n`;
  const HEPAT = ['10019805', 'Hepatobiliary disorders', 'Hepat'];
  const BLOOD = ['10005329', 'Blood and lymphatic system disorders', 'Blood'];
  const INFEC = ['10021881', 'Infections and infestations', 'Infec'];
  const IMMUN = ['10021428', 'Immune system disorders', 'Immun'];
  const hier = (pt, ptName, hlt, hltName, hlgt, hlgtName, soc, primarySoc, flag) =>
    [pt, hlt, hlgt, soc[0], ptName, hltName, hlgtName, soc[1], soc[2], '', primarySoc, flag];
  writeFileSync(join(dir, 'meddra_release.asc'), '27.0$English$$$\r\n');
  writeFileSync(join(dir, 'mdhier.asc'), lines([
    // The PT is "Venoocclusive liver disease": FAERS' "VENO-OCCLUSIVE LIVER DISEASE" is one of its LLTs.
    hier('10047216', 'Venoocclusive liver disease', '10019809', 'Hepatic vascular disorders', '10019808', 'Hepatic and hepatobiliary disorders', HEPAT, '10019805', 'Y'),
    hier('10016288', 'Febrile neutropenia', '10029363', 'Neutropenias', '10018849', 'White blood cell disorders', BLOOD, '10005329', 'Y'),
    hier('10016288', 'Febrile neutropenia', '10016289', 'Febrile disorders NEC', '10021879', 'Infections - pathogen unspecified', INFEC, '10005329', 'N'),
    hier('10043554', 'Thrombocytopenia', '10043555', 'Thrombocytopenias', '10035534', 'Platelet disorders', BLOOD, '10005329', 'Y'),
    hier('10040047', 'Sepsis', '10040048', 'Sepsis, bacteraemia, viraemia and fungaemia NEC', '10021879', 'Infections - pathogen unspecified', INFEC, '10021881', 'Y'),
    hier('10052015', 'Cytokine release syndrome', '10052016', 'Cytokine release syndromes', '10021430', 'Immune disorders NEC', IMMUN, '10021428', 'Y'),
  ]));
  writeFileSync(join(dir, 'llt.asc'), lines([
    ['10047216', 'Venoocclusive liver disease', '10047216', '', '', '', '', '', '', 'Y', ''],
    ['10071502', 'Veno-occlusive liver disease', '10047216', '', '', '', '', '', '', 'Y', ''],
    ['10016288', 'Febrile neutropenia', '10016288', '', '', '', '', '', '', 'Y', ''],
    ['10040047', 'Sepsis', '10040047', '', '', '', '', '', '', 'Y', ''],
    // A synonym of veno-occlusive liver disease that the label fixture uses.
    ['10071503', 'Sinusoidal obstruction syndrome', '10047216', '', '', '', '', '', '', 'Y', ''],
  ]));
  return ['meddra_release.asc', 'mdhier.asc', 'llt.asc'].map((f) => join(dir, f));
}

const rorValue = (text) => (text === DASH ? null : Number(text));

// Chromium drops downloads beyond about ten a second from one page (its protection against
// "multiple automatic downloads"): the tests keep below that.
const recentDownloads = [];
async function paceDownloads() {
  const WINDOW_MS = 1500;
  const MAX = 8;
  for (;;) {
    const now = Date.now();
    while (recentDownloads.length && now - recentDownloads[0] > WINDOW_MS) recentDownloads.shift();
    if (recentDownloads.length < MAX) break;
    await new Promise((r) => setTimeout(r, WINDOW_MS - (now - recentDownloads[0]) + 20));
  }
  recentDownloads.push(Date.now());
}

/** Clicks a button and returns the download's parsed JSON (and its suggested name). */
async function downloadJson() {
  await paceDownloads();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const file = join(tmp, `download-${Date.now()}.json`);
  await download.saveAs(file);
  return { name: download.suggestedFilename(), json: JSON.parse(readFileSync(file, 'utf8')) };
}

let downloads = 0;
/** Clicks `selector` and returns the download's suggested name and bytes. */
async function downloadBytes(selector) {
  await paceDownloads();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = join(tmp, `download-${++downloads}`);
  await download.saveAs(file);
  return { name: download.suggestedFilename(), bytes: readFileSync(file) };
}

/** `faers analyze ... --export DIR --json FILE`: the parsed JSON, and each exported file's bytes. */
function cliExport(zips, name, terms = TERMS, extra = []) {
  const dir = join(tmp, `export-${name}`);
  const json = cli(zips, name, terms, [...extra, '--export', dir]);
  return {
    dir,
    json,
    jsonBytes: readFileSync(join(tmp, `${name}.json`)),
    names: readdirSync(dir).sort(),
    file: (n) => readFileSync(join(dir, n)),
  };
}

/** The rows of a CSV text (RFC 4180 quoting) as arrays of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

/** A number with 2 decimals as the page shows it (thousands separated). */
const fix2 = (v) => v.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const int = (v) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A small SPL (DailyMed's XML) label for inotuzumab written here: boxed warning, W&P with a
 * nested subsection, adverse reactions with a table, and "sepsis" in the indications only. */
function writeLabelFixture(file) {
  writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>
<document xmlns="urn:hl7-org:v3">
  <id root="5c8d2a8e-0000-4000-8000-00000000e2e1"/>
  <code code="34391-3" codeSystem="2.16.840.1.113883.6.1" displayName="HUMAN PRESCRIPTION DRUG LABEL"/>
  <title>BESPONSA (inotuzumab ozogamicin) for injection (test label)</title>
  <effectiveTime value="20240305"/>
  <setId root="8f2e1d0a-1111-4222-8333-9444555566e2"/>
  <versionNumber value="7"/>
  <component><structuredBody>
    <component><section>
      <code code="34066-1" codeSystem="2.16.840.1.113883.6.1" displayName="BOXED WARNING SECTION"/>
      <title>WARNING: HEPATOTOXICITY, INCLUDING HEPATIC VENO-OCCLUSIVE DISEASE</title>
      <text><paragraph>Hepatotoxicity, including fatal hepatic veno-occlusive disease (VOD), also known as sinusoidal obstruction syndrome, occurred.</paragraph></text>
    </section></component>
    <component><section>
      <code code="34067-9" codeSystem="2.16.840.1.113883.6.1" displayName="INDICATIONS &amp; USAGE SECTION"/>
      <title>1 INDICATIONS AND USAGE</title>
      <text><paragraph>For relapsed or refractory B-cell precursor acute lymphoblastic leukemia; not for sepsis.</paragraph></text>
    </section></component>
    <component><section>
      <code code="43685-7" codeSystem="2.16.840.1.113883.6.1" displayName="WARNINGS AND PRECAUTIONS SECTION"/>
      <title>5 WARNINGS AND PRECAUTIONS</title>
      <text/>
      <component><section>
        <code code="42229-5" codeSystem="2.16.840.1.113883.6.1" displayName="SPL UNCLASSIFIED SECTION"/>
        <title>5.3 Myelosuppression</title>
        <text><paragraph>Thrombocytopenia and neutropenia occurred; monitor blood counts.</paragraph></text>
      </section></component>
    </section></component>
    <component><section>
      <code code="34084-4" codeSystem="2.16.840.1.113883.6.1" displayName="ADVERSE REACTIONS SECTION"/>
      <title>6 ADVERSE REACTIONS</title>
      <text><table><thead><tr><th>Adverse reaction</th><th>%</th></tr></thead>
        <tbody><tr><td>Febrile neutropenia</td><td>26</td></tr><tr><td>Nausea</td><td>31</td></tr></tbody></table></text>
    </section></component>
  </structuredBody></component>
</document>
`);
  return file;
}

/** The Listed cells of the signal table by PT: the call, how it was found, the select's value. */
async function listedCells() {
  return page.$$eval('#signal-table tbody tr[data-pt]', (trs) => Object.fromEntries(trs.map((tr) => {
    const cell = tr.querySelector('[data-col="listed"]');
    if (!cell) return [tr.dataset.pt, null];
    return [tr.dataset.pt, {
      listed: cell.querySelector('.listed-call').textContent,
      by: cell.querySelector('.listed-by')?.dataset.by ?? null,
      via: cell.querySelector('.listed-by.is-via')?.dataset.term ?? null,
      select: cell.querySelector('select').value,
    }];
  })));
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

/** Does `action` (which makes the page analyse) and waits for the new result. */
async function rerun(action) {
  await page.evaluate(() => {
    document.body.dataset.result = 'none';
  });
  await action();
  await page.waitForFunction(() => document.body.dataset.result === 'ready' || !document.querySelector('#query-alert').hidden);
  const alert = await page.$eval('#query-alert', (n) => (n.hidden ? '' : n.textContent));
  assert.equal(alert, '', `the page reported an error: ${alert}`);
}

async function runAnalysis() {
  await rerun(() => page.click('#run-button'));
}

/** Replaces the drug terms and runs. */
async function replaceTerms(terms) {
  while (await page.$('#chips .chip-remove')) await page.click('#chips .chip-remove');
  await page.fill('#term-input', terms.join(', '));
  await runAnalysis();
  assert.deepEqual(await page.$$eval('#chips .chip-text', (n) => n.map((x) => x.textContent)), terms);
}

/** The funnel's numbers by `counts` key, thousands separators removed. */
async function funnelCounts() {
  return page.$$eval('#summary [data-count]', (nodes) =>
    Object.fromEntries(nodes.map((n) => [n.dataset.count, n.querySelector(':scope > dl > dd, :scope > dd').textContent.replace(/,/g, '')])));
}

const funnelRule = (key) => page.textContent(`#summary [data-count="${key}"] .funnel-rule`);
const funnelOff = (key) => page.$eval(`#summary [data-count="${key}"]`, (n) => n.classList.contains('is-off'));

/** Asks for a case's history and waits for it (or for the error). */
async function showCase(caseid) {
  await page.evaluate(() => {
    document.body.dataset.case = 'none';
  });
  await page.fill('#case-input', String(caseid));
  await page.press('#case-input', 'Enter');
  await page.waitForFunction(() => ['ready', 'failed'].includes(document.body.dataset.case));
}

async function caseRows() {
  return page.$$eval('#case-table tbody tr', (trs) =>
    trs.map((tr) => ({
      ...Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((td) => [td.dataset.col, td.textContent.trim()])),
      kept: tr.querySelector('.kept-mark') !== null,
    })));
}

/** A version of `faers case` as the table must show it (FDA date as YYYY-MM-DD). */
function expectedCaseRow(v) {
  const d = String(v.fda_dt);
  return {
    quarter: v.quarter,
    fda_dt: v.fda_dt ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : DASH,
    primaryid: String(v.primaryid),
    caseversion: String(v.caseversion),
    kept: v.kept,
    reason: v.reason,
  };
}

/** The rows of the comparison table: per variant a, ROR and the signal mark. */
async function compareRows() {
  return page.$$eval('#sens-table tbody tr[data-pt]', (trs) =>
    trs.map((tr) => {
      const cells = [];
      for (const td of tr.querySelectorAll('td[data-variant]')) {
        const i = Number(td.dataset.variant);
        cells[i] = cells[i] || {};
        const text = td.dataset.col === 'ror' ? (td.querySelector('.ror') || td).textContent : td.textContent;
        cells[i][td.dataset.col] = text.trim().replace(/,/g, '');
      }
      return { pt: tr.dataset.pt, flip: tr.classList.contains('is-flip'), cells };
    }));
}

/** A screenshot of the page area that holds the given elements. */
async function screenshotOf(selectors, file) {
  mkdirSync(OUT, { recursive: true });
  const boxes = [];
  for (const sel of selectors) {
    await page.locator(sel).scrollIntoViewIfNeeded();
    boxes.push(await page.locator(sel).boundingBox());
  }
  const scroll = await page.evaluate(() => [window.scrollX, window.scrollY]);
  const x = Math.min(...boxes.map((b) => b.x)) - 8;
  const y = Math.min(...boxes.map((b) => b.y)) - 8;
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + 8;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + 8;
  await page.screenshot({ path: join(OUT, file), fullPage: true, clip: { x: x + scroll[0], y: y + scroll[1], width: right - x, height: bottom - y } });
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
  // These tests reload the page and expect it empty: the loaded quarters are not kept between
  // visits here (the storage has its own tests, in a browser profile of their own, below).
  await context.addInitScript(() => {
    try {
      localStorage.setItem('faers.remember', '0');
    } catch {
      /* no storage: nothing is kept anyway */
    }
  });
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

  test('the funnel shows the engine counts, with and without rule-based duplicates', async () => {
    const keys = ['demo_rows', 'distinct_reports', 'deleted_removed', 'superseded_removed', 'rule_duplicates_removed',
      'reports', 'target_reports', 'target_pairs'];
    assert.deepEqual(
      await page.$$eval('#summary .funnel > li', (lis) => lis.map((li) => li.dataset.count)),
      ['demo_rows', 'distinct_reports', 'deleted_removed', 'superseded_removed', 'rule_duplicates_removed', 'reports', 'target_reports'],
    );
    let shown = await funnelCounts();
    for (const k of keys) assert.equal(shown[k], String(cliResult.counts[k]), `counts.${k}`);
    // Each step says which rule was in force.
    assert.match(await funnelRule('superseded_removed'), /^FDA rule: latest FDA_DT, then largest PRIMARYID/);
    assert.match(await funnelRule('deleted_removed'), /deleted-case lists/);
    assert.match(await funnelRule('rule_duplicates_removed'), /^off/);
    assert.equal(await funnelOff('rule_duplicates_removed'), true);
    assert.equal(await funnelOff('superseded_removed'), false);

    // Rule-based duplicates: off by default, in the URL when on, passed as rule_dedup.
    assert.equal(await page.isChecked('#opt-rules'), false);
    await page.check('#opt-rules');
    assert.equal(new URL(page.url()).searchParams.get('rules'), '1');
    await runAnalysis();
    const ruled = cli(demoZips, 'demo-rules', TERMS, ['--rule-dedup']);
    const { json } = await downloadJson();
    assert.equal(json.settings.rule_dedup, true);
    assertSameJson(json, ruled, 'analysis with rule-based duplicates removed');
    shown = await funnelCounts();
    for (const k of keys) assert.equal(shown[k], String(ruled.counts[k]), `counts.${k} with rule_dedup`);
    assert.equal(await funnelOff('rule_duplicates_removed'), false);
    assert.match(await funnelRule('rule_duplicates_removed'), /same event date, age, sex, country, drugs, PTs/);

    await page.uncheck('#opt-rules');
    assert.equal(new URL(page.url()).searchParams.has('rules'), false);
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cliResult, 'back to the default settings');
  });

  test('unticking a matched spelling re-runs without it; ticking it again restores the result', async () => {
    const name = cliResult.matched_names[0].name;
    const rowsOf = (name_) => cliResult.matched_names.filter((m) => m.name === name_).length;
    assert.equal(await page.$$eval(`#matched-table tbody input[data-name="${name}"]:checked`, (n) => n.length), rowsOf(name));

    await rerun(() => page.locator(`#matched-table tbody input[data-name="${name}"]`).first().click());
    const excluded = cli(demoZips, 'demo-exclude', TERMS, ['--exclude', name]);
    assert.notEqual(excluded.counts.target_reports, cliResult.counts.target_reports, 'the spelling mattered');
    const { json } = await downloadJson();
    assertSameJson(json, excluded, `analysis without ${name}`);
    assert.deepEqual(new URL(page.url()).searchParams.getAll('exclude'), [name]);
    assert.equal((await funnelCounts()).target_reports, String(excluded.counts.target_reports));
    // The other spellings are still listed and ticked; the excluded one is shown unticked.
    const rows = await page.$$eval('#matched-table tbody tr', (trs) =>
      trs.map((tr) => ({ name: tr.dataset.name, excluded: tr.classList.contains('is-excluded'), checked: tr.querySelector('input').checked })));
    assert.deepEqual(rows, [
      { name, excluded: true, checked: false },
      ...excluded.matched_names.map((m) => ({ name: m.name, excluded: false, checked: true })),
    ]);
    assert.ok(await page.isVisible('#excluded-note'));
    assert.match(await page.textContent('#settings'), new RegExp(`Excluded spellings\\s*${name}`));
    mkdirSync(OUT, { recursive: true });
    await page.locator('#matched-title').locator('..').screenshot({ path: join(OUT, 'matched-excluded.png') });

    await rerun(() => page.click('#matched-table tr.is-excluded input'));
    assertSameJson((await downloadJson()).json, cliResult, 'the spelling ticked again');
    assert.equal(new URL(page.url()).searchParams.has('exclude'), false);
    assert.equal(await page.isVisible('#excluded-note'), false);
  });

  test('a misspelled term: "did you mean", and a click on a suggestion re-runs', async () => {
    await replaceTerms(['besponza']);
    const typo = cli(demoZips, 'typo', ['besponza']);
    assertSameJson((await downloadJson()).json, typo, 'the misspelled analysis');
    assert.equal(typo.suggestions.length, 1);
    const expected = typo.suggestions[0].suggestions;
    assert.ok(expected.includes('BESPONSA'), `the engine suggests BESPONSA (${expected.join(', ')})`);
    assert.ok(await page.isVisible('#suggestions'));
    assert.match(await page.textContent('#suggestions'), /No drug name matches ‘BESPONZA’ — did you mean:/);
    assert.deepEqual(await page.$$eval('#suggestions button', (bs) => bs.map((b) => b.textContent)), expected);
    assert.equal((await funnelCounts()).target_reports, '0');
    await screenshotOf(['#suggestions', '#summary'], 'did-you-mean.png');

    await rerun(() => page.locator('#suggestions button', { hasText: /^BESPONSA$/ }).click());
    assert.deepEqual(await page.$$eval('#chips .chip-text', (n) => n.map((x) => x.textContent)), ['BESPONSA']);
    assert.deepEqual(new URL(page.url()).searchParams.getAll('drug'), ['BESPONSA']);
    const fixed = cli(demoZips, 'typo-fixed', ['BESPONSA']);
    assert.ok(fixed.counts.target_reports > 0);
    assertSameJson((await downloadJson()).json, fixed, 'the corrected analysis');
    assert.equal((await funnelCounts()).target_reports, String(fixed.counts.target_reports));
    assert.equal(await page.isVisible('#suggestions'), false);

    await replaceTerms(TERMS);
    assertSameJson((await downloadJson()).json, cliResult, 'back to the original terms');
  });

  test('case history: every version of a case, as `faers case` tells it', async () => {
    const [q1, q2] = demoZips.map(readZip);
    const caseids = (zip) => dollarRows(memberLines(zip, /DEMO\d\dQ\d\.txt$/i)).map((r) => r.caseid);
    const later = new Set(caseids(q2));
    const inBoth = [...new Set(caseids(q1))].filter((c) => later.has(c)).map(Number).sort((x, y) => x - y);
    assert.ok(inBoth.length > 0, 'some case is published in both demo quarters');
    const caseid = inBoth.find((c) => {
      const h = cliCase(demoZips, c);
      return h.versions.length >= 2 && h.versions.some((v) => v.kept) && h.deleted_in.length === 0;
    });
    assert.ok(caseid, 'a case with a kept and a superseded version');
    const expected = cliCase(demoZips, caseid);

    await showCase(caseid);
    assert.equal(await page.textContent('#case-result .case-id'), String(caseid));
    assert.deepEqual(await caseRows(), expected.versions.map(expectedCaseRow));
    assert.ok(expected.versions.some((v) => /^superseded by primaryid/.test(v.reason)));
    assert.equal(await page.$('#case-result .case-deleted'), null);
    assert.match(await page.textContent('#case-rule'), /FDA rule · deleted-case lists applied · rule-based duplicates kept/);
    await page.locator('#case-history').screenshot({ path: join(OUT, 'case-history.png') });

    // A case on a deleted-case list that has reports in the data.
    const all = new Set([...caseids(q1), ...later]);
    const listed = [q1, q2].flatMap((z) => memberLines(z, /DELETE/i).map((l) => l.trim())).filter((c) => all.has(c)).map(Number);
    assert.ok(listed.length > 0, 'a deleted case with reports');
    const deleted = cliCase(demoZips, listed[0]);
    assert.ok(deleted.deleted_in.length > 0);
    await showCase(listed[0]);
    assert.equal(await page.textContent('#case-result .case-deleted'), `On FDA’s deleted-case list of ${deleted.deleted_in.join(', ')}.`);
    assert.deepEqual(await caseRows(), deleted.versions.map(expectedCaseRow));

    // Errors in words: the engine's message.
    await showCase('12x');
    assert.match(await page.textContent('#case-alert'), /a case id is a whole number/);
    await showCase(caseid);
    assert.equal(await page.isVisible('#case-alert'), false);
  });

  test('comparison of deduplication methods equals the CLI’s --compare-dedup', async () => {
    const expected = cli(demoZips, 'demo-compare', TERMS, ['--compare-dedup']).sensitivity;
    assert.ok(expected.flipped.length > 0, 'the demo has PTs whose signal status flips');
    await page.evaluate(() => {
      document.body.dataset.sensitivity = 'none';
    });
    await page.click('#sens-button');
    await page.waitForFunction(() => ['ready', 'failed'].includes(document.body.dataset.sensitivity));
    assert.equal(await page.isVisible('#sens-alert'), false);

    const variants = await page.$$eval('#sens-variants tbody tr', (trs) =>
      trs.map((tr) => ({
        label: tr.dataset.label,
        ...Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((td) => [td.dataset.col, td.textContent.replace(/,/g, '')])),
      })));
    assert.deepEqual(variants, expected.variants.map((v) => ({
      label: v.label, reports: String(v.counts.reports), target_reports: String(v.counts.target_reports), signals: String(v.signals),
    })));

    const rows = await compareRows();
    const byPt = (x, y) => (x.pt < y.pt ? -1 : x.pt > y.pt ? 1 : 0);
    const fmt = (v) => (v === null ? DASH : v.toFixed(2));
    const want = expected.rows.map((r) => ({
      pt: r.pt,
      flip: r.flips,
      cells: r.cells.map((c) => (c ? { a: String(c.a), ror: fmt(c.ror), signal: c.signal ? 'yes' : 'no' } : { a: DASH, ror: DASH, signal: DASH })),
    }));
    assert.deepStrictEqual([...rows].sort(byPt), want.sort(byPt));
    // The PTs that flip are highlighted, listed first and counted.
    const n = expected.flipped.length;
    assert.deepEqual(rows.slice(0, n).map((r) => r.pt).sort(), [...expected.flipped].sort());
    assert.ok(rows.slice(0, n).every((r) => r.flip) && rows.slice(n).every((r) => !r.flip));
    assert.equal(await page.getAttribute('#sens-flips strong', 'data-flips'), String(n));
    assert.match(await page.textContent('#sens-flips'), new RegExp(`^${n} PTs change signal status`));
    await page.locator('#sensitivity').screenshot({ path: join(OUT, 'sensitivity.png') });

    await page.check('#sens-flips-only');
    assert.deepEqual((await compareRows()).map((r) => r.pt).sort(), [...expected.flipped].sort());
    await page.locator('#sensitivity').screenshot({ path: join(OUT, 'sensitivity-flips.png') });
    await page.uncheck('#sens-flips-only');
    assert.equal((await compareRows()).length, expected.rows.length);
  });

  test('conventions: Evans (Yates) + Bonferroni + exact z + Haldane + exact IC equal the CLI; the caption states the rule', async () => {
    assert.equal(await page.isVisible('#opt-chi2'), false, 'the χ² choice belongs to Evans only');
    await page.selectOption('#opt-criterion', 'evans');
    assert.equal(await page.isVisible('#opt-chi2'), true);
    await page.selectOption('#opt-chi2', 'yates');
    await page.selectOption('#opt-adjust', 'bonferroni');
    await page.selectOption('#opt-z', 'exact');
    await page.selectOption('#opt-zero', 'haldane');
    await page.selectOption('#opt-ic', 'exact');
    const params = new URL(page.url()).searchParams;
    assert.deepEqual(['crit', 'chi2', 'adjust', 'z', 'zero', 'ic'].map((k) => params.get(k)), ['evans', 'yates', 'bonferroni', 'exact', 'haldane', 'exact']);
    await runAnalysis();
    const expected = cli(demoZips, 'evans-yates', TERMS, ['--criterion', 'evans-yates', '--adjust', 'bonferroni', '--z', 'exact',
      '--zero-cells', 'haldane', '--ic', 'exact']);
    assertSameJson((await downloadJson()).json, expected, 'Evans (Yates) analysis');
    assert.match(expected.settings.signal_rule, /chi2_yates/);
    assert.equal(await page.textContent('#signal-rule-text'), expected.settings.signal_rule);
    const caption = await page.textContent('#signal-caption');
    assert.match(caption, /z = 1\.959963984540054 \(Φ⁻¹\(0\.975\)\)/);
    assert.match(caption, /Haldane/);
    assert.match(caption, /IC bounds: exact gamma quantiles/);
    const byPt = (x, y) => (x.pt < y.pt ? -1 : x.pt > y.pt ? 1 : 0);
    assert.deepStrictEqual((await tableRows()).sort(byPt), expected.signals.map(expectedRow).sort(byPt));
    await screenshotOf(['#conventions-box'], 'conventions.png');
    await page.locator('#query').screenshot({ path: join(OUT, 'query.png') });
    await screenshotOf(['#signal-caption', '#signal-table thead'], 'caption.png');

    await defaultConventions();
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cliResult, 'back to the default conventions');
    const url = new URL(page.url());
    for (const k of ['crit', 'chi2', 'adjust', 'z', 'zero', 'ic', 'min_a', 'min_prr', 'ebgm']) assert.equal(url.searchParams.has(k), false, `${k} left the URL`);
  });

  test('custom thresholds equal the CLI', async () => {
    await page.selectOption('#opt-criterion', 'custom');
    assert.equal(await page.isVisible('#custom-criterion'), true);
    assert.equal(await page.isVisible('#opt-chi2'), false);
    await page.fill('#opt-min-a', '5');
    await page.fill('#opt-min-prr', '3');
    await page.press('#opt-min-prr', 'Tab');
    assert.equal(new URL(page.url()).searchParams.get('min_a'), '5');
    await runAnalysis();
    const expected = cli(demoZips, 'custom', TERMS, ['--criterion', 'custom', '--min-a', '5', '--min-prr', '3']);
    assertSameJson((await downloadJson()).json, expected, 'custom criterion');
    assert.equal(await page.textContent('#signal-rule-text'), expected.settings.signal_rule);
    await page.fill('#opt-min-a', '');
    await page.fill('#opt-min-prr', '');
    await defaultConventions();
  });

  let ebgmResult;
  test('EBGM (component likelihood) equals the CLI; the fit panel shows the prior and whether it converged', async () => {
    assert.equal(await page.isVisible('#ebgm-fit'), false, 'no fit panel without EBGM');
    // EB05 needs EBGM: the preset switches it on and holds it.
    await page.selectOption('#opt-criterion', 'eb05');
    assert.equal(await page.isChecked('#opt-ebgm'), true);
    assert.equal(await page.isDisabled('#opt-ebgm'), true);
    await page.selectOption('#opt-criterion', 'study');
    assert.equal(await page.isDisabled('#opt-ebgm'), false);
    await page.selectOption('#opt-ebgm-lik', 'component');
    if (!(await page.isChecked('#opt-ebgm'))) await page.check('#opt-ebgm');
    assert.equal(new URL(page.url()).searchParams.get('ebgm'), '1');
    await runAnalysis();
    ebgmResult = cli(demoZips, 'ebgm', TERMS, ['--ebgm', '--ebgm-likelihood', 'component']);
    assertSameJson((await downloadJson()).json, ebgmResult, 'EBGM analysis');
    const fit = ebgmResult.ebgm_fit;
    assert.ok(fit && fit.prior, 'the CLI fitted a prior');
    assert.equal(await page.isVisible('#ebgm-fit'), true);
    for (const k of ['alpha1', 'beta1', 'alpha2', 'beta2', 'p']) {
      const text = await page.textContent(`#ebgm-fit [data-param="${k}"] dd`);
      const [mantissa, exponent] = text.split('×10');
      const SUP = '⁻⁰¹²³⁴⁵⁶⁷⁸⁹';
      const shown = Number(mantissa) * 10 ** (exponent ? Number([...exponent].map((ch) => (ch === '⁻' ? '-' : SUP.indexOf(ch) - 1)).join('')) : 0);
      assert.ok(Math.abs(shown - fit.prior[k]) <= Math.abs(fit.prior[k]) * 1e-4, `${k}: ${text} vs ${fit.prior[k]}`);
      assert.ok(mantissa.replace(/^0\.0*/, '').replace(/\D/g, '').length <= 5, `${k} to at most 5 significant digits: ${text}`);
    }
    assert.equal(await page.textContent('#ebgm-fit [data-fit="converged"]'), fit.converged ? 'yes' : 'no');
    assert.equal(await page.getAttribute('#ebgm-fit', 'data-converged'), String(fit.converged));
    assert.equal(await page.isVisible('#ebgm-fit .fit-warning'), !fit.converged, 'a warning exactly when the fit did not converge');
    for (const k of ['iterations', 'pairs', 'reports']) {
      assert.equal((await page.textContent(`#ebgm-fit [data-fit="${k}"]`)).replace(/,/g, ''), String(fit[k]), k);
    }
    assert.match(await page.textContent('#ebgm-fit'), new RegExp(fit.likelihood.replace(/[()>=]/g, '.')));
    await page.locator('#ebgm-fit').screenshot({ path: join(OUT, 'ebgm-fit.png') });

    // Stratified expected counts (age band × sex × year): the same as the CLI's --ebgm-strata.
    await page.check('#opt-ebgm-strata');
    assert.equal(new URL(page.url()).searchParams.get('strata'), '1');
    await runAnalysis();
    const stratified = cli(demoZips, 'ebgm-strata', TERMS, ['--ebgm', '--ebgm-strata', '--ebgm-likelihood', 'component']);
    assert.equal(stratified.ebgm_fit.stratified, true);
    assertSameJson((await downloadJson()).json, stratified, 'stratified EBGM analysis');
    await page.uncheck('#opt-ebgm-strata');
    await runAnalysis();
  });

  test('the Columns menu shows PRR and EBGM with the CLI’s values; sorting works on them; the CSV has every measure', async () => {
    await page.click('#columns-menu > summary');
    assert.equal(await page.isVisible('#columns-list'), true);
    const box = (id) => `#columns-list input[value="${id}"]`;
    for (const id of ['pt_code', 'soc']) assert.equal(await page.isDisabled(box(id)), true, `${id} needs MedDRA`);
    // Off, then on: the columns come and go.
    if (await page.isChecked(box('prr'))) await page.uncheck(box('prr'));
    assert.equal(await page.$('#signal-table thead th[data-key="prr"]'), null);
    await page.check(box('prr'));
    await page.check(box('ebgm'));
    await page.check(box('chi2_yates'));
    await screenshotOf(['#columns-menu .columns-pop', '#signals-title'], 'columns-menu.png');
    await page.keyboard.press('Escape');
    assert.deepEqual(new URL(page.url()).searchParams.get('cols').split(','), ['pt_code', 'soc', 'prr', 'chi2_yates', 'ic', 'ebgm', 'listed']);
    const keys = ['prr', 'prr_ci', 'chi2_yates', 'ebgm', 'eb05', 'eb95'];
    const shown = await columnValues(keys);
    assert.equal(Object.keys(shown).length, ebgmResult.signals.length);
    for (const s of ebgmResult.signals) {
      assert.deepEqual(shown[s.pt], {
        prr: dec2(s.prr), prr_ci: ci2(s.prr_lower, s.prr_upper), chi2_yates: dec2(s.chi2_yates),
        ebgm: dec2(s.ebgm?.ebgm), eb05: dec2(s.ebgm?.eb05), eb95: dec2(s.ebgm?.eb95),
      }, s.pt);
    }
    await page.locator('.signals .table-wrap').screenshot({ path: join(OUT, 'columns.png') });

    // Sorting on a new column: EB05 descending, then ascending.
    await page.click('#signal-table th[data-key="eb05"] button');
    assert.equal(await page.getAttribute('#signal-table th[data-key="eb05"]', 'aria-sort'), 'descending');
    const eb05 = (await page.$$eval('#signal-table tbody td[data-col="eb05"]', (n) => n.map((x) => x.textContent))).map((t) => Number(t.replace(/,/g, '')));
    assert.deepEqual(eb05, [...eb05].sort((x, y) => y - x));
    assert.equal(new URL(page.url()).searchParams.get('sort'), 'eb05');

    // The CSV carries every measure at full precision, whatever columns are shown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    const csvFile = join(tmp, 'signals-ebgm.csv');
    await download.saveAs(csvFile);
    const lines = readFileSync(csvFile, 'utf8').trim().split(/\r?\n/);
    const head = lines[0].split(',');
    for (const k of ['pt', 'a', 'b', 'c', 'd', 'ror', 'ror_lower', 'ror_upper', 'prr', 'prr_lower', 'prr_upper', 'chi2', 'chi2_yates',
      'ic', 'ic025', 'ic975', 'bcpnn', 'bcpnn_lower', 'p_value', 'p_adjusted', 'ebgm', 'eb05', 'eb95', 'signal']) {
      assert.ok(head.includes(k), `CSV column ${k}`);
    }
    assert.equal(lines.length - 1, ebgmResult.signals.length);
    const vcd = ebgmResult.signals.find((s) => s.pt === 'VENO-OCCLUSIVE LIVER DISEASE');
    const row = lines.slice(1).map((l) => l.split(',')).find((c) => c[0] === vcd.pt);
    const at = (k) => row[head.indexOf(k)];
    assert.equal(Number(at('eb05')), vcd.ebgm.eb05);
    assert.equal(Number(at('bcpnn_lower')), vcd.bcpnn_lower);
    assert.equal(Number(at('p_value')), vcd.p_value);

    // Back to the default view and settings.
    await page.click('#columns-menu > summary');
    await page.uncheck(box('ebgm'));
    await page.uncheck(box('chi2_yates'));
    await page.keyboard.press('Escape');
    assert.equal(new URL(page.url()).searchParams.has('cols'), false);
    // The table was ordered by a column now hidden: back to the default order.
    assert.equal(new URL(page.url()).searchParams.has('sort'), false);
    assert.equal(await page.getAttribute('#signal-table th[data-key="signal"]', 'aria-sort'), 'descending');
    await defaultConventions();
    await runAnalysis();
    assert.equal(await page.isVisible('#ebgm-fit'), false);
  });

  test('the conditional-MLE odds ratio with its exact interval equals the CLI’s --cmle', async () => {
    const box = '#columns-list input[value="cmle"]';
    await page.click('#columns-menu > summary');
    await page.check(box);
    await page.keyboard.press('Escape');
    await runAnalysis();
    const expected = cli(demoZips, 'cmle', TERMS, ['--cmle']);
    assert.equal(expected.settings.cmle, true);
    assertSameJson((await downloadJson()).json, expected, 'conditional MLE analysis');
    const shown = await columnValues(['ror_cmle', 'ror_cmle_lower']);
    for (const s of expected.signals) {
      assert.deepEqual(shown[s.pt], { ror_cmle: dec2(s.ror_cmle), ror_cmle_lower: ci2(s.ror_cmle_lower, s.ror_cmle_upper) }, s.pt);
    }
    await page.click('#columns-menu > summary');
    await page.uncheck(box);
    await page.keyboard.press('Escape');
    await runAnalysis();
  });

  let exported; // `faers analyze --export` with the page's default settings

  test('target reports at a glance: every descriptive table with n and % as the CLI writes them', async () => {
    exported = cliExport(demoZips, 'demo-export');
    assertSameJson(exported.json, cliResult, 'the exported result');
    const d = cliResult.descriptive;
    assert.equal(await page.textContent('#descriptive [data-headline="cases"]'), `${int(cliResult.counts.target_reports)} cases`);
    assert.equal(await page.textContent('#descriptive [data-headline="ades"]'), `(${int(cliResult.counts.target_pairs)} ADEs)`);
    assert.equal(d.cases, cliResult.counts.target_reports);

    // descriptive.csv: table, category, n, percent (of the cases), as the engine rounds it.
    const csv = parseCsv(exported.file('descriptive.csv').toString('utf8'));
    assert.deepEqual(csv[0], ['table', 'category', 'n', 'percent']);
    const want = {};
    for (const [table, category, n, pct] of csv.slice(1)) (want[table] ||= {})[category] = { n, pct };
    const shown = await page.$$eval('#descriptive .desc-block', (blocks) => Object.fromEntries(blocks.map((b) => [b.dataset.key,
      Object.fromEntries([...b.querySelectorAll('tbody tr')].map((tr) => [tr.dataset.category, {
        n: tr.querySelector('[data-col="n"]').textContent.replace(/,/g, ''), pct: tr.querySelector('[data-col="pct"]').textContent.replace(/,/g, ''),
      }]))])));
    for (const table of ['sex', 'age_group', 'year', 'reporter', 'outcome', 'seriousness', 'role', 'indication', 'concomitant']) {
      assert.deepEqual(shown[table], want[table], `table ${table}`);
    }
    // Countries: the ten most frequent, the others summed, then the unknown.
    const countries = Object.entries(d.country).filter(([c]) => c !== 'unknown').sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const top = countries.slice(0, 10);
    assert.deepEqual(Object.keys(shown.country), [...top.map(([c]) => c), ...(countries.length > 10 ? ['other'] : []), ...('unknown' in d.country ? ['unknown'] : [])]);
    for (const [c] of top) assert.deepEqual(shown.country[c], want.country[c], `country ${c}`);
    const other = countries.slice(10).reduce((s, [, n]) => s + n, 0);
    assert.equal(shown.country.other.n, String(other));
    assert.equal(shown.country.other.pct, ((other * 100) / d.cases).toFixed(2));
    assert.match(await page.textContent('#descriptive [data-category="US"] th'), /^United States/);
    // Rankings say how many there are.
    assert.equal(await page.textContent('#descriptive [data-key="concomitant"] [data-note="ranking"]'),
      `Top ${d.concomitant.top.length} of ${d.concomitant.distinct} distinct other drugs · ${d.concomitant.cases_with_any} cases with any (${want.concomitant ? (d.concomitant.cases_with_any * 100 / d.cases).toFixed(2) : ''}%)`);
    // Age: mean ± SD, median [IQR], range, n.
    const age = d.age;
    assert.equal(await page.textContent('#descriptive [data-stat="mean"] strong'), `${fix2(age.mean)} ± ${fix2(age.sd)}`);
    assert.equal(await page.textContent('#descriptive [data-stat="median"]'), `median ${fix2(age.median)} [IQR ${fix2(age.q1)}–${fix2(age.q3)}]`);
    assert.equal(await page.textContent('#descriptive [data-stat="range"]'), `range ${fix2(age.min)}–${fix2(age.max)}`);
    assert.match(await page.textContent('#descriptive [data-stat="n"]'), new RegExp(`^${age.n} of ${d.cases} cases with an age`));
    await page.locator('#descriptive-title').locator('..').screenshot({ path: join(OUT, 'descriptive.png') });
  });

  test('time to onset: exclusions in words, median [IQR], bands and the Weibull fit as the CLI computed them', async () => {
    const t = cliResult.descriptive.time_to_onset;
    assert.equal(t.convention, '+0');
    assert.ok(t.n > 0 && t.weibull, 'the demo has onset times and a Weibull fit');
    const stat = (k) => page.textContent(`#onset [data-stat="${k}"]`);
    assert.equal(await stat('n'), `${t.n} of ${cliResult.descriptive.cases} cases`);
    assert.equal(await stat('median'), `${fix2(t.median)} [${fix2(t.q1)}–${fix2(t.q3)}]`);
    assert.equal(await stat('mean'), fix2(t.mean));
    assert.equal(await stat('range'), `${int(t.min)}–${int(t.max)}`);
    const reasons = await page.$$eval('#onset [data-reason]', (lis) => Object.fromEntries(lis.map((li) => [li.dataset.reason, li.textContent])));
    const words = { no_event_date: 'no event date', partial_event_date: 'event date incomplete', no_therapy_row: 'no therapy record', no_start_date: 'no start date', partial_start_date: 'start date incomplete', negative: 'event before the first dose' };
    assert.deepEqual(Object.keys(reasons).sort(), Object.keys(t.excluded).filter((k) => t.excluded[k] > 0).sort());
    for (const [k, text] of Object.entries(reasons)) assert.ok(text.startsWith(`${t.excluded[k]} ${words[k]}`), `${k}: ${text}`);
    const bands = await page.$$eval('#onset tr[data-band]', (trs) => trs.map((tr) => [tr.dataset.band, tr.querySelector('[data-col="count"]').textContent, tr.querySelector('[data-col="pct"]').textContent]));
    assert.deepEqual(bands, t.bands.map((b) => [b.label, String(b.count), (b.share * 100).toFixed(2)]));
    const w = t.weibull;
    assert.equal(await stat('shape'), `${fix2(w.shape)} (${fix2(w.shape_lower)}–${fix2(w.shape_upper)})`);
    assert.equal(await stat('scale'), `${fix2(w.scale)} (${fix2(w.scale_lower)}–${fix2(w.scale_upper)})`);
    assert.match(await stat('weibull_n'), new RegExp(`^${w.n}${w.zeros_excluded ? ` \\(${w.zeros_excluded} of 0 days left out` : '$'}`));
    assert.equal(await page.getAttribute('#onset .weibull-reading', 'data-reading'), w.failure_type);
    assert.match(await page.textContent('#onset .weibull-reading'), new RegExp(`${w.failure_type} — `));
    if (w.failure_type === 'early failure') assert.match(await page.textContent('#onset .weibull-reading'), /^β < 1 \(CI below 1\): early failure — the risk is highest soon after the start/);
    // The engine's figure, as exported.
    assert.equal(await page.$$eval('#onset svg.figure-svg', (n) => n.length), 1);
    await page.locator('#onset').screenshot({ path: join(OUT, 'time-to-onset.png') });
  });

  test('the onset convention (+1) is in the URL, re-runs and equals the CLI’s --onset +1', async () => {
    assert.equal(await page.inputValue('#opt-onset'), '+0');
    await rerun(() => page.selectOption('#opt-onset', '+1'));
    assert.equal(new URL(page.url()).searchParams.get('onset'), '+1');
    const plusOne = cli(demoZips, 'onset-plus-one', TERMS, ['--onset', '+1']);
    assert.equal(plusOne.settings.onset, '+1');
    assertSameJson((await downloadJson()).json, plusOne, 'the +1 onset convention');
    const t = plusOne.descriptive.time_to_onset;
    assert.equal(await page.textContent('#onset [data-stat="median"]'), `${fix2(t.median)} [${fix2(t.q1)}–${fix2(t.q3)}]`);
    assert.match(await page.textContent('#onset .onset-n'), /day of first dose = day 1/);
    assert.match(await page.textContent('#settings'), /Time to onset\s*day of first dose = day 1/);
    await rerun(() => page.selectOption('#opt-onset', '+0'));
    assert.equal(new URL(page.url()).searchParams.has('onset'), false);
    assertSameJson((await downloadJson()).json, cliResult, 'back to the +0 convention');
  });

  test('case listing (Table 9): the age range re-runs, is in the URL and equals the CLI', async () => {
    const count = async () => page.$eval('#listing-count', (n) => ({ rows: Number(n.dataset.rows), cases: Number(n.dataset.cases) }));
    const cells = async () => page.$$eval('#listing-table tbody tr', (trs) => trs.map((tr) =>
      Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((td) => [td.dataset.col, td.textContent]))));
    const expectRows = (rows) => rows.map((r) => ({
      caseid: String(r.caseid ?? DASH), primaryid: String(r.primaryid), drugname: r.drugname || DASH, route: r.route || DASH, dose_form: r.dose_form || DASH,
    }));
    const pick = (rows) => rows.map(({ caseid, primaryid, drugname, route, dose_form }) => ({ caseid, primaryid, drugname, route, dose_form }));
    // The default: children (age < 18).
    assert.ok(cliResult.listing.rows.length > 0);
    assert.deepEqual(await count(), { rows: cliResult.listing.rows.length, cases: cliResult.listing.cases });
    assert.deepEqual(pick(await cells()), expectRows(cliResult.listing.rows));
    assert.match(await page.textContent('#listing-count'), /with age < 18 years/);
    assert.equal(await page.isVisible('#listing-empty'), false);
    await page.locator('#listing').screenshot({ path: join(OUT, 'listing.png') });

    await page.fill('#listing-from', '2');
    await page.fill('#listing-below', '12');
    await rerun(() => page.click('#listing-apply'));
    const params = new URL(page.url()).searchParams;
    assert.deepEqual([params.get('list_from'), params.get('list_below')], ['2', '12']);
    const children = cli(demoZips, 'listing-2-12', TERMS, ['--listing-ages', '2-12']);
    assertSameJson((await downloadJson()).json, children, 'listing of ages 2 to 12');
    assert.deepEqual(await count(), { rows: children.listing.rows.length, cases: children.listing.cases });
    assert.deepEqual(pick(await cells()), expectRows(children.listing.rows));

    // No case in the range: the empty state says so.
    await page.fill('#listing-from', '150');
    await page.fill('#listing-below', '200');
    await rerun(() => page.press('#listing-below', 'Enter'));
    assert.equal(await page.isVisible('#listing-empty'), true);
    assert.equal(await page.textContent('#listing-empty'), 'No target case with age 150 to < 200 years.');
    assert.equal(await page.isVisible('#listing-wrap'), false);

    // A range that is not one is refused in words, without a run.
    await page.fill('#listing-from', '12');
    await page.fill('#listing-below', '2');
    await page.click('#listing-apply');
    assert.match(await page.textContent('#listing-alert'), /must be below/);

    await page.fill('#listing-from', '');
    await page.fill('#listing-below', '');
    await rerun(() => page.click('#listing-apply'));
    assert.equal(await page.isVisible('#listing-alert'), false);
    assert.equal(new URL(page.url()).searchParams.has('list_from'), false);
    assertSameJson((await downloadJson()).json, cliResult, 'the default listing again');
  });

  test('figures: five SVGs without MedDRA, each downloadable as the CLI’s SVG and as PNG', async () => {
    const names = await page.$$eval('#figures .figure', (fs) => fs.map((f) => f.dataset.figure));
    assert.deepEqual(names, ['ades_by_pt.svg', 'time_to_onset.svg', 'forest.svg', 'reports_per_year.svg', 'volcano.svg']);
    assert.deepEqual([...names].sort(), exported.names.filter((n) => n.endsWith('.svg')).sort());
    assert.equal(await page.$$eval('#figures .figure svg.figure-svg', (n) => n.length), 5);
    assert.match(await page.textContent('#figures .figures-note'), /needs your MedDRA files/);
    for (const name of names) {
      const sel = `#figures .figure[data-figure="${name}"]`;
      assert.ok((await page.textContent(`${sel} figcaption`)).length > 10, `${name} has a caption`);
      const svg = await downloadBytes(`${sel} button[data-format="svg"]`);
      assert.equal(svg.name, name);
      assert.ok(svg.bytes.equals(exported.file(name)), `${name}: the page's SVG equals the CLI's byte for byte`);
    }
    for (const name of ['time_to_onset.svg', 'volcano.svg']) {
      const png = await downloadBytes(`#figures .figure[data-figure="${name}"] button[data-format="png"]`);
      assert.equal(png.name, name.replace(/\.svg$/, '.png'));
      assert.ok(png.bytes.length > 1000, `${png.name} is not empty`);
      assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${png.name} is a PNG`);
      // Drawn at twice the SVG's size.
      const width = png.bytes.readUInt32BE(16);
      const svgWidth = Number(/width="(\d+(?:\.\d+)?)"/.exec(exported.file(name).toString('utf8'))[1]);
      assert.equal(width, Math.round(svgWidth * 2));
    }
    assert.equal(await page.isVisible('#figures-alert'), false);
    await page.locator('#figures').screenshot({ path: join(OUT, 'figures.png') });
  });

  test('exports: every file, the JSON and the zip are byte-identical to `faers analyze --export`', async () => {
    const buttons = await page.$$eval('#export-list button[data-file]', (bs) => bs.map((b) => b.dataset.file));
    assert.deepEqual([...buttons].sort(), exported.names);
    assert.deepEqual(await page.$$eval('#export-list .export-group', (gs) => gs.map((g) => g.dataset.group)), ['csv', 'svg', 'json', 'methods']);
    for (const name of buttons) {
      const file = await downloadBytes(`#export-list button[data-file="${name}"]`);
      assert.equal(file.name, name);
      assert.ok(file.bytes.equals(exported.file(name)), `${name}: the page's file equals the CLI's byte for byte`);
    }
    // "Download JSON" saves the engine's result.json: the bytes of the CLI's --json.
    const json = await downloadBytes('#download-json');
    assert.equal(json.name, 'faers-result.json');
    assert.ok(json.bytes.equals(exported.jsonBytes), 'Download JSON equals `faers analyze --json` byte for byte');
    assert.ok(json.bytes.equals(exported.file('result.json')));
    // Everything at once: a zip with the same members.
    const zip = await downloadBytes('#export-all');
    assert.equal(zip.name, 'faers-export.zip');
    const zipFile = join(tmp, 'faers-export.zip');
    writeFileSync(zipFile, zip.bytes);
    const members = readZip(zipFile);
    assert.deepEqual(Object.keys(members).sort(), exported.names);
    for (const name of exported.names) assert.ok(members[name].equals(exported.file(name)), `${name} in the zip`);
    // The methods paragraph, shown and copied.
    assert.equal(await page.inputValue('#methods-text'), exported.file('methods.md').toString('utf8'));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await page.click('#copy-methods');
    await page.waitForFunction(() => document.querySelector('#copy-status').textContent !== '');
    assert.match(await page.textContent('#copy-status'), /Copied|selected/);
    if ((await page.getAttribute('#copy-status', 'data-copied')) === 'clipboard') {
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), exported.file('methods.md').toString('utf8'));
    }
    await page.locator('#exports').screenshot({ path: join(OUT, 'exports.png') });
  });

  test('MedDRA from the user’s own files: PT codes, signals per SOC and the grouped table equal the CLI', async () => {
    // Without MedDRA the results say why there is no SOC grouping.
    assert.equal(await page.isVisible('#meddra-needed'), true);
    assert.match(await page.textContent('#meddra-needed'), /needs your own MedDRA files.*licensed.*never ships it/s);
    assert.equal(await page.isDisabled('#group-soc'), true);
    assert.equal(await page.textContent('#meddra-status'), 'Not loaded.');

    const dir = join(tmp, 'MedAscii');
    const files = writeMeddraFixture(dir);
    await page.setInputFiles('#meddra-input', files);
    await page.waitForFunction(() => ['loaded', 'failed'].includes(document.body.dataset.meddra));
    assert.equal(await page.isVisible('#meddra-alert'), false);
    assert.match(await page.textContent('#meddra-status'), /^MedDRA 27\.0 · 5 preferred terms loaded/);
    assert.equal(await page.isVisible('#meddra-remove'), true);
    assert.equal(await page.isVisible('#stale-note'), true, 'the result shown predates MedDRA');
    await page.locator('#data').screenshot({ path: join(OUT, 'meddra-loaded.png') });

    await runAnalysis();
    const expected = cli(demoZips, 'meddra', TERMS, ['--meddra', dir]);
    assertSameJson((await downloadJson()).json, expected, 'analysis with MedDRA');
    assert.equal(expected.settings.meddra, '27.0');
    const vcd = expected.signals.find((s) => s.pt === 'VENO-OCCLUSIVE LIVER DISEASE');
    assert.equal(vcd.meddra_match, 'llt');
    assert.equal(vcd.pt_code, 10047216);
    const fn = expected.signals.find((s) => s.pt === 'FEBRILE NEUTROPENIA');
    assert.equal(fn.soc, 'Blood and lymphatic system disorders');
    assert.equal(fn.socs.length, 2);

    // Signals per SOC: the study's Table 3.
    assert.equal(await page.isVisible('#meddra-needed'), false);
    const socRows = await page.$$eval('#soc-table tbody tr', (trs) => trs.map((tr) =>
      Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((c) => [c.dataset.col, c.textContent.replace(/,/g, '')]))));
    assert.deepEqual(socRows, expected.by_soc.map((x) => ({ soc: x.soc, soc_code: String(x.soc_code), pts: String(x.pts), signals: String(x.signals), events: String(x.events) })));
    assert.ok(expected.by_soc.length >= 3);

    // PT code and SOC columns (on by default once MedDRA is loaded).
    const shown = await columnValues(['pt_code', 'soc']);
    for (const s of expected.signals) assert.deepEqual(shown[s.pt], { pt_code: s.pt_code === null ? DASH : String(s.pt_code), soc: s.soc ?? DASH }, s.pt);

    // Grouped by primary SOC, as the study's Tables 4–8.
    await page.check('#group-soc');
    assert.equal(new URL(page.url()).searchParams.get('group'), 'soc');
    await page.check('#signals-only');
    const groups = await page.$$eval('#signal-table tbody tr', (trs) => {
      const out = [];
      for (const tr of trs) {
        if (tr.classList.contains('soc-row')) out.push({ soc: tr.dataset.soc, rows: [] });
        else out[out.length - 1].rows.push([tr.dataset.pt, tr.querySelector('[data-col="pt_code"]').textContent]);
      }
      return out;
    });
    const signalsOf = (soc) => expected.signals.filter((s) => s.signal && (s.soc ?? '') === soc);
    const want = [...expected.by_soc.map((x) => x.soc).filter((soc) => signalsOf(soc).length), ...(signalsOf('').length ? [''] : [])]
      .map((soc) => ({ soc, rows: signalsOf(soc).map((s) => [s.pt, s.pt_code === null ? DASH : String(s.pt_code)]) }));
    const sortRowsOf = (g) => ({ soc: g.soc, rows: [...g.rows].sort() });
    assert.deepEqual(groups.map(sortRowsOf), want.map(sortRowsOf));
    assert.deepEqual(groups.find((g) => g.soc === 'Hepatobiliary disorders').rows, [['VENO-OCCLUSIVE LIVER DISEASE', '10047216']]);
    await page.$eval('.signals .table-wrap', (n) => { n.scrollLeft = 0; n.scrollTop = 0; });
    await screenshotOf(['#signals-title', '.signals .table-wrap'], 'meddra-grouped.png');
    await page.locator('#soc-panel').screenshot({ path: join(OUT, 'meddra-per-soc.png') });
    // With MedDRA the figures include the ADEs by SOC, and the exports the signals per SOC.
    assert.deepEqual(await page.$$eval('#figures .figure', (fs) => fs.map((f) => f.dataset.figure)),
      ['ades_by_soc.svg', 'ades_by_pt.svg', 'time_to_onset.svg', 'forest.svg', 'reports_per_year.svg', 'volcano.svg']);
    assert.equal(await page.isVisible('#figures .figures-note'), false);
    const withSoc = cliExport(demoZips, 'meddra-export', TERMS, ['--meddra', dir]);
    for (const name of ['ades_by_soc.svg', 'signals_by_soc.csv']) {
      assert.ok(withSoc.names.includes(name), `the CLI exports ${name}`);
      assert.ok((await downloadBytes(`#export-list button[data-file="${name}"]`)).bytes.equals(withSoc.file(name)), `${name} equals the CLI's`);
    }
    await page.uncheck('#signals-only');

    // Removing MedDRA: the next analysis is the plain one again.
    await page.uncheck('#group-soc');
    await page.click('#meddra-remove');
    await page.waitForFunction(() => document.body.dataset.meddra === 'none');
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cliResult, 'MedDRA removed');
    assert.equal(await page.isVisible('#meddra-needed'), true);
    assert.equal(await page.isDisabled('#group-soc'), true);

    // The folder variant reads the same release; a folder without MedDRA files is refused in words.
    await page.setInputFiles('#meddra-folder', dir);
    await page.waitForFunction(() => ['loaded', 'failed'].includes(document.body.dataset.meddra));
    assert.match(await page.textContent('#meddra-status'), /^MedDRA 27\.0 · 5 preferred terms loaded/);
    await page.click('#meddra-remove');
    await page.waitForFunction(() => document.body.dataset.meddra === 'none');
    const notMeddra = join(tmp, 'not-meddra.asc');
    writeFileSync(notMeddra, 'hello$world$\r\n');
    await page.setInputFiles('#meddra-input', [notMeddra]);
    await page.waitForFunction(() => ['loaded', 'failed'].includes(document.body.dataset.meddra));
    assert.equal(await page.isVisible('#meddra-alert'), true);
    assert.match(await page.textContent('#meddra-alert'), /mdhier\.asc/);
    assert.equal(await page.textContent('#meddra-status'), 'Not loaded.');
  });

  test('drug label: the Listed column, new signals and a reviewer’s call equal the CLI’s --label', async () => {
    // Without a label there is no Listed column and no "new signals" view.
    assert.equal(await page.$('#signal-table thead th[data-key="listed"]'), null);
    assert.equal(await page.isDisabled('#new-only'), true);
    assert.equal(await page.isVisible('#label-line'), false);

    const spl = writeLabelFixture(join(tmp, 'besponsa-spl.xml'));
    await rerun(() => page.setInputFiles('#label-input', spl));
    await page.waitForFunction(() => document.body.dataset.label === 'loaded');
    assert.equal(await page.isVisible('#label-alert'), false);
    const expected = cli(demoZips, 'label', TERMS, ['--label', spl]);
    assertSameJson((await downloadJson()).json, expected, 'analysis with the label');
    // The label's summary, as the engine read it.
    const lab = expected.label;
    assert.match(await page.textContent('#label-status'), /Label loaded · BESPONSA \(inotuzumab ozogamicin\)/);
    for (const k of ['source', 'title', 'set_id', 'version']) assert.equal(await page.textContent(`#label-summary [data-label="${k}"]`), lab[k], k);
    assert.equal(await page.textContent('#label-summary [data-label="effective_time"]'), '2024-03-05');
    assert.deepEqual(await page.$$eval('#label-summary tbody tr', (trs) => trs.map((tr) => [tr.dataset.kind, tr.lastElementChild.textContent])),
      lab.sections.map((x) => [x.kind, String(x.words)]));
    assert.deepEqual(lab.sections.map((x) => x.kind), ['boxed warning', 'warnings and precautions', 'adverse reactions']);

    // Every row's call, as the CLI made it.
    const byPt = Object.fromEntries(expected.signals.map((x) => [x.pt, x]));
    let cells = await listedCells();
    assert.equal(Object.keys(cells).length, expected.signals.length);
    for (const [pt, c] of Object.entries(cells)) assert.equal(c.listed, byPt[pt].listed, pt);
    assert.equal(cells['FEBRILE NEUTROPENIA'].listed, 'adverse reactions');
    assert.equal(cells.THROMBOCYTOPENIA.listed, 'warnings and precautions');
    assert.equal(cells.SEPSIS.listed, 'not listed', 'sepsis is named in the indications only');
    assert.equal(cells['VENO-OCCLUSIVE LIVER DISEASE'].listed, 'not listed', 'the label says "veno-occlusive disease", not the PT');
    assert.equal(cells.SEPSIS.select, '');
    // k of n signals are not in the label.
    const n = lab.listed_signals + lab.new_signals;
    assert.match(await page.textContent('#label-line'), new RegExp(`^${lab.new_signals} of ${n} signals are not in the label`));
    await page.$eval('.signals .table-wrap', (n) => { n.scrollLeft = n.scrollWidth; n.scrollTop = 0; });
    await screenshotOf(['#label-line', '.signals .table-wrap'], 'label-listed.png');
    await page.$eval('.signals .table-wrap', (n) => { n.scrollLeft = 0; });
    await page.locator('#label-box').screenshot({ path: join(OUT, 'label-box.png') });

    // New signals only: signals the label does not list, strongest (ROR lower bound) first.
    await page.check('#new-only');
    assert.equal(new URL(page.url()).searchParams.get('new'), '1');
    const fresh = expected.signals.filter((x) => x.signal && x.listed === 'not listed').sort((x, y) => y.ror_lower - x.ror_lower);
    assert.equal(fresh.length, lab.new_signals);
    assert.deepEqual((await tableRows()).map((r) => r.pt), fresh.map((x) => x.pt));
    await page.uncheck('#new-only');
    assert.equal(new URL(page.url()).searchParams.has('new'), false);

    // A reviewer's call: SEPSIS is in the warnings after all. The analysis runs again with it.
    const call = 'warnings and precautions';
    await rerun(() => page.selectOption('#signal-table tr[data-pt="SEPSIS"] select.listed-override', call));
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.pt), 'SEPSIS', 'the focus stays on the select that was used');
    assert.deepEqual(new URL(page.url()).searchParams.getAll('override'), [`SEPSIS=${call}`]);
    const overruled = cli(demoZips, 'label-override', TERMS, ['--label', spl, '--label-override', `SEPSIS=${call}`]);
    const { json } = await downloadJson();
    assert.deepEqual(json.settings.label_overrides, { SEPSIS: call });
    assertSameJson(json, overruled, 'analysis with a reviewer’s call');
    cells = await listedCells();
    assert.deepEqual(cells.SEPSIS, { listed: call, by: 'reviewer', via: null, select: call });
    assert.equal(overruled.label.new_signals, lab.new_signals - 1);
    assert.match(await page.textContent('#label-line'), new RegExp(`^${lab.new_signals - 1} of ${n} signals are not in the label`));
    assert.deepEqual(await page.$$eval('#label-overrides li', (lis) => lis.map((li) => li.dataset.pt)), ['SEPSIS']);

    // With MedDRA, PTs are also looked up by their synonyms (LLTs): VOD is in the boxed warning.
    const dir = join(tmp, 'MedAscii');
    writeMeddraFixture(dir);
    await page.setInputFiles('#meddra-folder', dir);
    await page.waitForFunction(() => document.body.dataset.meddra === 'loaded');
    await runAnalysis();
    const synonyms = cli(demoZips, 'label-meddra', TERMS, ['--meddra', dir, '--label', spl, '--label-override', `SEPSIS=${call}`]);
    assertSameJson((await downloadJson()).json, synonyms, 'analysis with the label and MedDRA');
    cells = await listedCells();
    const vod = synonyms.signals.find((x) => x.pt === 'VENO-OCCLUSIVE LIVER DISEASE');
    assert.equal(vod.listed, 'boxed warning');
    assert.match(vod.listed_by, /^sinusoidal obstruction syndrome$/i);
    assert.deepEqual(cells['VENO-OCCLUSIVE LIVER DISEASE'], { listed: 'boxed warning', by: 'synonym', via: vod.listed_by, select: '' });
    assert.match(await page.textContent('#signal-table tr[data-pt="VENO-OCCLUSIVE LIVER DISEASE"] [data-col="listed"]'), new RegExp(`via ${vod.listed_by}`));
    await screenshotOf(['#signal-table tr[data-pt="VENO-OCCLUSIVE LIVER DISEASE"]'], 'label-synonym.png');
    await page.click('#meddra-remove');
    await page.waitForFunction(() => document.body.dataset.meddra === 'none');

    // The Listed column can be hidden from the Columns menu.
    await page.click('#columns-menu > summary');
    assert.equal(await page.isDisabled('#columns-list input[value="listed"]'), false);
    await page.uncheck('#columns-list input[value="listed"]');
    await page.keyboard.press('Escape');
    assert.equal(await page.$('#signal-table thead th[data-key="listed"]'), null);
    assert.equal(new URL(page.url()).searchParams.get('cols'), 'pt_code,soc,prr,ic');
    await page.click('#columns-menu > summary');
    await page.check('#columns-list input[value="listed"]');
    await page.keyboard.press('Escape');
    assert.equal(new URL(page.url()).searchParams.has('cols'), false);

    // The call withdrawn: the label's own call again.
    await rerun(() => page.selectOption('#signal-table tr[data-pt="SEPSIS"] select.listed-override', ''));
    assert.equal(new URL(page.url()).searchParams.has('override'), false);
    assertSameJson((await downloadJson()).json, expected, 'the reviewer’s call withdrawn');
    assert.equal(await page.isVisible('#label-overrides'), false);

    // Removing the label: the plain analysis again.
    await rerun(() => page.click('#label-remove'));
    assertSameJson((await downloadJson()).json, cliResult, 'label removed');
    assert.equal(await page.$('#signal-table thead th[data-key="listed"]'), null);
    assert.equal(await page.isDisabled('#new-only'), true);
    assert.equal(await page.textContent('#label-status'), 'Not loaded.');

    // Pasted text works as a text label does.
    const pasted = 'ADVERSE REACTIONS\nThe most common adverse reactions were nausea, febrile neutropenia and tremor.\n';
    mkdirSync(join(tmp, 'paste'), { recursive: true });
    writeFileSync(join(tmp, 'paste', 'pasted text'), pasted);
    await page.click('#label-paste > summary');
    await page.fill('#label-text', pasted);
    await rerun(() => page.click('#label-use-text'));
    const text = cli(demoZips, 'label-text', TERMS, ['--label', join(tmp, 'paste', 'pasted text')]);
    assert.equal(text.label.format, 'text');
    assertSameJson((await downloadJson()).json, text, 'analysis with a pasted label');
    assert.equal((await listedCells()).TREMOR.listed, 'adverse reactions');
    await rerun(() => page.click('#label-remove'));

    // A file that is not a label is refused by name.
    const notLabel = join(tmp, 'scan.pdf');
    writeFileSync(notLabel, Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0, 7]));
    await page.setInputFiles('#label-input', notLabel);
    await page.waitForFunction(() => ['failed', 'loaded'].includes(document.body.dataset.label));
    assert.equal(await page.isVisible('#label-alert'), true);
    assert.match(await page.textContent('#label-alert'), /scan\.pdf/);
    assert.equal(await page.textContent('#label-status'), 'Not loaded.');
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
    // A download that stopped half-way, last: read split between two workers when there are two.
    const cut = join(tmp, 'faers_ascii_2024q4.zip');
    const whole = readFileSync(demoZips[1]);
    writeFileSync(cut, whole.subarray(0, whole.length >> 1));
    await page.setInputFiles('#file-input', [notes, demoZips[0], cut]);
    await waitForFiles(3);
    const error = await page.textContent('#file-list li.file[data-name="notes.zip"] .file-error');
    assert.match(error, /^notes\.zip: not a zip archive: it holds plain text/);
    const cutError = await page.textContent('#file-list li.file[data-name="faers_ascii_2024q4.zip"] .file-error');
    assert.match(cutError, /^faers_ascii_2024q4\.zip: the zip is cut short: .*download it again/);
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

  test('rule-based duplicates: a quarter that repeats reports under new case ids', async () => {
    // A third quarter of copies of 2024Q1 reports (a case published once, on no deleted list,
    // every field the rule compares filled) under new case ids and a later FDA date: each copy
    // is kept and its original removed as a rule-based duplicate.
    const q1 = readZip(demoZips[0]);
    const q2 = readZip(demoZips[1]);
    const demoLines = memberLines(q1, /DEMO\d\dQ\d\.txt$/i);
    const drugLines = memberLines(q1, /DRUG\d\dQ\d\.txt$/i);
    const reacLines = memberLines(q1, /REAC\d\dQ\d\.txt$/i);
    const later = new Set(dollarRows(memberLines(q2, /DEMO\d\dQ\d\.txt$/i)).map((r) => r.caseid));
    const listed = new Set([q1, q2].flatMap((z) => memberLines(z, /DELETE/i).map((l) => l.trim())));
    const group = (lines) => {
      const m = new Map();
      for (const r of dollarRows(lines)) m.set(r.primaryid, [...(m.get(r.primaryid) || []), r]);
      return m;
    };
    const drugs = group(drugLines);
    const reacs = group(reacLines);
    const target = (p) => drugs.get(p).some((d) => /INOTUZUMAB|BESPONSA/i.test(`${d.drugname} ${d.prod_ai}`) && /^(PS|SS)$/.test(d.role_cod));
    const usable = dollarRows(demoLines).filter((r) => r.event_dt && r.age && r.age_cod && /^[MF]$/.test(r.sex) && r.reporter_country
      && !later.has(r.caseid) && !listed.has(r.caseid) && drugs.has(r.primaryid) && reacs.has(r.primaryid));
    const originals = [...usable.filter((r) => target(r.primaryid)).slice(0, 3), ...usable.filter((r) => !target(r.primaryid)).slice(0, 3)];
    assert.equal(originals.length, 6);
    const head = demoLines[0].split('$').map((h) => h.toLowerCase());
    const col = (name) => head.indexOf(name);
    const out = { demo: [demoLines[0]], drug: [drugLines[0]], reac: [reacLines[0]] };
    originals.forEach((r, i) => {
      const caseid = String(90000001 + i);
      const primaryid = `${caseid}1`;
      const f = r.line.split('$');
      f[col('primaryid')] = primaryid;
      f[col('caseid')] = caseid;
      f[col('caseversion')] = '1';
      f[col('fda_dt')] = '20240920';
      out.demo.push(f.join('$'));
      for (const d of drugs.get(r.primaryid)) out.drug.push([primaryid, caseid, ...d.line.split('$').slice(2)].join('$'));
      for (const x of reacs.get(r.primaryid)) out.reac.push([primaryid, caseid, ...x.line.split('$').slice(2)].join('$'));
    });
    const copies = join(tmp, 'faers_ascii_2024q3.zip');
    writeFileSync(copies, writeZip({
      'ASCII/DEMO24Q3.txt': `${out.demo.join('\r\n')}\r\n`,
      'ASCII/DRUG24Q3.txt': `${out.drug.join('\r\n')}\r\n`,
      'ASCII/REAC24Q3.txt': `${out.reac.join('\r\n')}\r\n`,
    }));
    const zips = [...demoZips, copies];

    // The option comes from the URL.
    await page.goto(`${server.origin}/?${TERMS.map((t) => `drug=${t}`).join('&')}&rules=1`);
    assert.equal(await page.isChecked('#opt-rules'), true);
    await page.setInputFiles('#file-input', zips);
    await waitForFiles(3);
    await runAnalysis();
    const expected = cli(zips, 'rule-duplicates', TERMS, ['--rule-dedup']);
    assert.equal(expected.counts.rule_duplicates_removed, originals.length);
    assertSameJson((await downloadJson()).json, expected, 'analysis with rule-based duplicates');
    const shown = await funnelCounts();
    for (const k of ['demo_rows', 'distinct_reports', 'deleted_removed', 'superseded_removed', 'rule_duplicates_removed', 'reports', 'target_reports']) {
      assert.equal(shown[k], String(expected.counts[k]), `counts.${k}`);
    }
    await page.locator('#summary').screenshot({ path: join(OUT, 'funnel-rules.png') });

    // The original's history names the copy that replaced it.
    const original = Number(originals[0].caseid);
    const history = cliCase(zips, original, ['--rule-dedup']);
    assert.match(history.versions[0].reason, /rule-based duplicate of primaryid 900000011/);
    await showCase(original);
    assert.deepEqual(await caseRows(), history.versions.map(expectedCaseRow));
  });

  test('conventions, columns and grouping are read back from the URL', async () => {
    await page.goto(`${server.origin}/?drug=besponsa&crit=custom&min_a=5&ic025_above=0.5&adjust=bh&z=exact&zero=haldane&ic=exact&ebgm=1&lik=all&cols=prr,bcpnn,p&group=soc&sort=p_value&dir=asc`);
    const values = await page.evaluate(() => Object.fromEntries(['opt-criterion', 'opt-min-a', 'opt-ic025-above', 'opt-adjust', 'opt-z', 'opt-zero', 'opt-ic', 'opt-ebgm-lik']
      .map((id) => [id, document.getElementById(id).value])));
    assert.deepEqual(values, {
      'opt-criterion': 'custom', 'opt-min-a': '5', 'opt-ic025-above': '0.5', 'opt-adjust': 'bh', 'opt-z': 'exact', 'opt-zero': 'haldane', 'opt-ic': 'exact', 'opt-ebgm-lik': 'all',
    });
    assert.equal(await page.isChecked('#opt-ebgm'), true);
    assert.equal(await page.isVisible('#custom-criterion'), true);
    assert.equal(await page.isChecked('#group-soc'), true);
    // Nothing is rewritten on the way in.
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('cols'), 'prr,bcpnn,p');
    assert.equal(url.searchParams.get('sort'), 'p_value');
  });

  test('listing ages, the onset convention and the reviewer’s calls make a round trip through the URL', async () => {
    const calls = ['SEPSIS=not listed', 'NAUSEA=adverse reactions'];
    const query = new URLSearchParams([['drug', 'besponsa'], ['onset', '+1'], ['list_from', '2'], ['list_below', '12.5'], ['new', '1'], ...calls.map((c) => ['override', c])]);
    await page.goto(`${server.origin}/?${query}`);
    assert.equal(await page.inputValue('#opt-onset'), '+1');
    assert.equal(await page.inputValue('#listing-from'), '2');
    assert.equal(await page.inputValue('#listing-below'), '12.5');
    assert.equal(await page.isChecked('#new-only'), true);
    assert.deepEqual(await page.$$eval('#label-overrides li .chip-text', (n) => n.map((x) => x.textContent)), ['SEPSIS: not listed', 'NAUSEA: adverse reactions']);
    // Written back unchanged when the page rewrites the URL.
    await page.check('#opt-rules');
    await page.uncheck('#opt-rules');
    const p = new URL(page.url()).searchParams;
    assert.deepEqual([p.get('onset'), p.get('list_from'), p.get('list_below'), p.get('new'), p.getAll('override')], ['+1', '2', '12.5', '1', calls]);
    // The same options reach the engine: an analysis equals the CLI's with them.
    await page.setInputFiles('#file-input', demoZips);
    await waitForFiles(demoZips.length);
    await runAnalysis();
    const expected = cli(demoZips, 'url-round-trip', ['besponsa'], ['--onset', '+1', '--listing-ages', '2-12.5', ...calls.flatMap((c) => ['--label-override', c])]);
    assert.deepEqual(expected.settings.label_overrides, { NAUSEA: 'adverse reactions', SEPSIS: 'not listed' });
    assertSameJson((await downloadJson()).json, expected, 'analysis with the options of the URL');
    // A call removed from the label box leaves the URL.
    await rerun(() => page.click('#label-overrides li[data-pt="SEPSIS"] .chip-remove'));
    assert.deepEqual(new URL(page.url()).searchParams.getAll('override'), ['NAUSEA=adverse reactions']);
    assert.deepEqual((await downloadJson()).json.settings.label_overrides, { NAUSEA: 'adverse reactions' });
  });

  test('no uncaught errors in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});

/**
 * For the describe block it is called in: a browser with a profile of its own (`profile`, under
 * the run's temporary folder; `args`: more command-line switches), whose page is `page` until the
 * block ends. Returns the block's uncaught page errors and, once started, its browser context.
 */
function ownBrowser(profile, args = []) {
  const own = { errors: [], ctx: null };
  let mainPage;
  before(async () => {
    own.ctx = await chromium.launchPersistentContext(join(tmp, profile), {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 800 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', ...args],
    });
    own.ctx.setDefaultTimeout(20_000);
    mainPage = page;
    page = own.ctx.pages()[0] || (await own.ctx.newPage());
    page.on('pageerror', (err) => own.errors.push(String(err)));
  });
  after(async () => {
    page = mainPage;
    await own.ctx?.close();
  });
  return own;
}

// Several Web Workers read the files (?workers=N), and the loaded quarters are kept in the
// browser (IndexedDB) for the next visit. A browser profile of its own: storage starts empty.
describe('parallel loading and the browser’s storage', () => {
  const own = ownBrowser('profile-storage');
  const { errors } = own;

  const query = TERMS.map((t) => `drug=${t}`).join('&');
  const open = async (workers) => {
    await page.goto(`${server.origin}/?${query}${workers ? `&workers=${workers}` : ''}`);
    await page.waitForFunction(() => document.body.dataset.engine === 'ready' && document.body.dataset.restore === 'done');
  };
  const fileStates = () => page.$$eval('#file-list li.file', (lis) => lis.map((li) => [li.dataset.name, li.dataset.state, li.dataset.path]));
  const waitStored = (n) => page.waitForFunction((count) => document.body.dataset.stored === String(count) && document.body.dataset.loading === 'false', n);

  test('?workers=3: two zips, one read by the analysis worker and one by a reader to a snapshot; the JSON equals the CLI’s', async () => {
    await open(3);
    assert.equal(await page.getAttribute('body', 'data-workers'), '3');
    await page.setInputFiles('#file-input', demoZips);
    await waitForFiles(2);
    const states = await fileStates();
    assert.deepEqual(states.map((s) => s.slice(0, 2)), manifest.files.map((f) => [f.name, 'done']));
    assert.deepEqual(states.map((s) => s[2]).sort(), ['snapshot', 'whole']);
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli(demoZips, 'demo'), 'analysis read by three workers');
    // Both quarters are kept for the next visit.
    await waitStored(2);
    assert.match(await page.textContent('#storage-status'), /Kept in this browser for next time: 2 files/);
  });

  test('?workers=2: Run pressed while four files load, one a renamed copy and one not a zip; each is handled by name and the JSON equals the CLI’s', async () => {
    await page.click('#clear-button');
    await page.waitForFunction(() => document.querySelectorAll('#file-list li.file').length === 0 && document.body.dataset.stored === '0');
    await open(2);
    const copy = join(tmp, 'copy-of-first.zip');
    writeFileSync(copy, readFileSync(demoZips[0]));
    const broken = join(tmp, 'broken.zip');
    writeFileSync(broken, 'not a zip\n');
    await page.evaluate(() => {
      document.body.dataset.result = 'none';
    });
    await page.setInputFiles('#file-input', [demoZips[0], copy, broken, demoZips[1]]);
    await page.click('#run-button'); // waits for the files, then analyses
    await page.waitForFunction(() => document.body.dataset.loading === 'false' && document.body.dataset.result === 'ready');
    assert.match(await page.textContent('#load-note'), /copy-of-first\.zip is already (being read|loaded)/);
    const states = await fileStates();
    assert.deepEqual(states.map((s) => s.slice(0, 2)), [[manifest.files[0].name, 'done'], ['broken.zip', 'error'], [manifest.files[1].name, 'done']]);
    assert.match(await page.textContent('#file-list li.file[data-state="error"]'), /broken\.zip: not a zip archive/);
    // The CLI given the two usable zips: the same analysis (inputs[] also lists broken.zip here).
    const { json } = await downloadJson();
    const usable = cli(demoZips, 'demo');
    assertSameJson(json.counts, usable.counts, 'counts');
    assertSameJson(json.signals, usable.signals, 'signals');
    assertSameJson(json.matched_names, usable.matched_names, 'matched names');
    await waitStored(2);
  });

  const warmUp = async () => {
    await page.waitForFunction(() => document.body.dataset.warm);
    return page.getAttribute('body', 'data-warm');
  };

  test('reopening the page adds the kept quarters without any zip; the analysis equals the CLI’s', async () => {
    await open(2);
    assert.deepEqual(await fileStates(), manifest.files.map((f) => [f.name, 'done', 'restored']));
    assert.equal(await warmUp(), 'skipped', 'with quarters loaded, no warm-up delays the first query');
    assert.match(await page.textContent('#storage-status'), /^Remembered from your last visit: 2 files, [\d.]+ MB\./);
    assert.equal(await page.getAttribute('body', 'data-load-path'), 'restored');
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli(demoZips, 'demo'), 'analysis of the kept quarters');

    // The same zip again: already loaded, not read.
    await page.setInputFiles('#file-input', [demoZips[0]]);
    await page.waitForFunction(() => /already loaded/.test(document.querySelector('#load-note').textContent));
    assert.match(await page.textContent('#load-note'), new RegExp(`${manifest.files[0].name} is already loaded \\(remembered from your last visit\\)`));
    assert.equal((await fileStates()).length, 2);

    // A renamed copy alone is read split, and the hash its DRUG reader makes shows it is the
    // same file: not added, and the analysis is unchanged.
    const copy = join(tmp, 'renamed-copy.zip');
    writeFileSync(copy, readFileSync(demoZips[0]));
    await page.setInputFiles('#file-input', [copy]);
    await page.waitForFunction(() => /renamed-copy\.zip is already loaded/.test(document.querySelector('#load-note').textContent));
    await page.waitForFunction(() => document.body.dataset.loading === 'false');
    assert.deepEqual(await fileStates(), manifest.files.map((f) => [f.name, 'done', 'restored']));
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli(demoZips, 'demo'), 'analysis after a renamed copy');

    // "Forget loaded data" empties the page and the browser's storage.
    await page.click('#clear-button');
    await page.waitForFunction(() => document.querySelectorAll('#file-list li.file').length === 0 && document.body.dataset.stored === '0');
    await open(2);
    assert.deepEqual(await fileStates(), []);
    assert.equal(await page.textContent('#storage-status'), '');
    // Nothing loaded: the engine warms up on the demo's first quarter, and keeps nothing of it.
    assert.equal(await warmUp(), 'done');
    assert.deepEqual(await fileStates(), []);
  });

  test('?workers=2: one zip is split between the analysis worker and a reader; the JSON equals the CLI’s', async () => {
    await open(2);
    // After the warm-up (which read this very zip): the workspace holds only what is given below.
    assert.equal(await warmUp(), 'done');
    await page.setInputFiles('#file-input', [demoZips[0]]);
    await waitForFiles(1);
    assert.deepEqual(await fileStates(), [[manifest.files[0].name, 'done', 'split']]);
    assert.equal(await page.getAttribute('body', 'data-load-path'), 'split');
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli([demoZips[0]], 'single-split'), 'analysis of one split file');
    // Added before its DRUG reader hashed it: the hash is the file's, in its details and in what is kept.
    const sha256 = createHash('sha256').update(readFileSync(demoZips[0])).digest('hex');
    await page.waitForFunction((h) => document.querySelector('#file-list li.file .hash')?.textContent === h, sha256);
    await waitStored(1);
    await open(2);
    assert.deepEqual(await fileStates(), [[manifest.files[0].name, 'done', 'restored']]);
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli([demoZips[0]], 'single-split'), 'analysis of the split file kept');
    await page.click('#clear-button');
    await page.waitForFunction(() => document.querySelectorAll('#file-list li.file').length === 0 && document.body.dataset.stored === '0');
  });

  test('?solo-from-mb=0: past its memory threshold the analysis worker reads every file alone; the JSON equals the CLI’s', async () => {
    await page.goto(`${server.origin}/?${query}&workers=2&solo-from-mb=0`);
    await page.waitForFunction(() => document.body.dataset.engine === 'ready' && document.body.dataset.restore === 'done');
    assert.equal(await warmUp(), 'done');
    await page.setInputFiles('#file-input', demoZips);
    await waitForFiles(2);
    assert.deepEqual(await fileStates(), manifest.files.map((f) => [f.name, 'done', 'whole']));
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli(demoZips, 'demo'), 'analysis of the files read alone');
    await waitStored(2);
    await page.click('#clear-button');
    await page.waitForFunction(() => document.querySelectorAll('#file-list li.file').length === 0 && document.body.dataset.stored === '0');
  });

  test('a zip dropped on the page right after it opens, while the engine may still warm up, is read and analysed as the CLI does', async () => {
    await page.goto(`${server.origin}/?${query}&workers=2`);
    await page.waitForFunction(() => document.body.dataset.engine === 'ready');
    const bytes = [...readFileSync(demoZips[0])];
    await page.evaluate(({ name, bytes }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/zip' }));
      const zone = document.querySelector('#drop-zone');
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, { name: manifest.files[0].name, bytes });
    await waitForFiles(1);
    assert.equal(await page.getAttribute('#drop-zone', 'class'), 'drop', 'no longer shown as dragged over');
    assert.ok(await page.getAttribute('body', 'data-files-at'));
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli([demoZips[0]], 'single-split'), 'analysis of the dropped file');
    await waitStored(1);
    await page.click('#clear-button');
    await page.waitForFunction(() => document.querySelectorAll('#file-list li.file').length === 0 && document.body.dataset.stored === '0');
  });

  test('a quarter kept by an older version of the tool is dropped with a note naming it; its zip loads again', async () => {
    await open(2);
    await page.setInputFiles('#file-input', [demoZips[0]]);
    await waitForFiles(1);
    await waitStored(1);
    // Rewrite the kept snapshot's format version (bytes 8-11, little-endian) to 2, as an
    // earlier release of the tool wrote it.
    await page.evaluate(async () => {
      const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open('faers', 1);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const all = await new Promise((resolve) => {
        const req = db.transaction('snapshots').objectStore('snapshots').getAll();
        req.onsuccess = () => resolve(req.result);
      });
      for (const record of all) {
        const bytes = new Uint8Array(await new Blob([record.data]).arrayBuffer());
        new DataView(bytes.buffer).setUint32(8, 2, true);
        record.data = new Blob([bytes]);
        await new Promise((resolve) => {
          const t = db.transaction('snapshots', 'readwrite');
          t.objectStore('snapshots').put(record);
          t.oncomplete = resolve;
        });
      }
      db.close();
    });
    await open(2);
    assert.deepEqual(await fileStates(), []);
    assert.equal(await page.textContent('#load-note'),
      `${manifest.files[0].name}: the copy kept by the browser is from an older version of this tool and was dropped. Drop the zip again.`);
    await page.setInputFiles('#file-input', [demoZips[0]]);
    await waitForFiles(1);
    await waitStored(1);
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli([demoZips[0]], 'single-split'), 'analysis after the zip is dropped again');
    await page.click('#clear-button');
    await page.waitForFunction(() => document.querySelectorAll('#file-list li.file').length === 0 && document.body.dataset.stored === '0');
  });

  test('Cancel right after two files start: each file is loaded whole or cancelled; loading again works', async () => {
    await open(2);
    await page.setInputFiles('#file-input', demoZips);
    // Clicked at once, not through Playwright's checks for a clickable button: the two demo
    // files can load in the time those take, and the button goes with the loading.
    const shown = await page.$eval('#cancel-button', (button) => {
      const visible = button.offsetParent !== null;
      button.click();
      return visible;
    });
    assert.equal(shown, true, 'the cancel button is shown while the files load');
    await page.waitForFunction(() => document.body.dataset.loading === 'false');
    const states = await fileStates();
    assert.equal(states.length, 2);
    for (const [name, state] of states) assert.ok(['done', 'cancelled'].includes(state), `${name}: ${state}`);
    assert.ok(states.some(([, state]) => state === 'cancelled'), `something was cancelled: ${JSON.stringify(states)}`);
    assert.equal(await page.isHidden('#cancel-button'), true);
    const loaded = demoZips.filter((_, i) => states[i][1] === 'done');
    if (loaded.length) {
      await runAnalysis();
      assertSameJson((await downloadJson()).json, cli(loaded, `cancel-${loaded.length}`), 'analysis after a cancel');
    }
    // The cancelled files can be added again.
    await page.setInputFiles('#file-input', demoZips);
    await page.waitForFunction(() => [...document.querySelectorAll('#file-list li.file')].filter((li) => li.dataset.state === 'done').length === 2
      && document.body.dataset.loading === 'false');
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli(demoZips, 'demo'), 'analysis after loading again');
    await page.click('#clear-button');
    await page.waitForFunction(() => document.querySelectorAll('#file-list li.file').length === 0 && document.body.dataset.stored === '0');
  });

  test('storage refused (no IndexedDB): a one-line notice, and the analysis still works', async () => {
    const refused = await own.ctx.newPage();
    refused.on('pageerror', (err) => errors.push(String(err)));
    await refused.addInitScript(() => {
      indexedDB.open = () => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      };
    });
    const previous = page;
    page = refused;
    try {
      await open(2);
      await page.setInputFiles('#file-input', demoZips);
      await waitForFiles(2);
      assert.equal(await page.isVisible('#storage-notice'), true);
      assert.match(await page.textContent('#storage-notice'), /^The browser did not keep the data \(.+\); it will be read again next time\.$/);
      assert.equal(await page.getAttribute('body', 'data-storage'), 'refused');
      await runAnalysis();
      assertSameJson((await downloadJson()).json, cli(demoZips, 'demo'), 'analysis without storage');
    } finally {
      page = previous;
      await refused.close();
    }
  });

  test('no uncaught errors in these pages', () => {
    assert.deepEqual(errors, []);
  });
});

// Served over plain http from a host other than this machine's loopback name, the page is not a
// secure context: no crypto.subtle in it or in its workers, so neither can hash a file natively
// and the engine hashes in WebAssembly. A browser of its own, which resolves faers.test to the
// test server.
describe('a page served over plain http (no crypto.subtle)', () => {
  const { errors } = ownBrowser('profile-insecure', ['--host-resolver-rules=MAP faers.test 127.0.0.1']);

  const fileStates = () => page.$$eval('#file-list li.file', (lis) => lis.map((li) => [li.dataset.name, li.dataset.state, li.dataset.path]));
  const open = async () => {
    const origin = server.origin.replace('127.0.0.1', 'faers.test');
    await page.goto(`${origin}/?${TERMS.map((t) => `drug=${t}`).join('&')}&workers=2`);
    await page.waitForFunction(() => document.body.dataset.engine === 'ready' && document.body.dataset.restore === 'done');
  };

  test('?workers=2: files read whole, to a snapshot and split are hashed by the engine; a renamed copy is refused by it; the JSON equals the CLI’s', async () => {
    await open();
    assert.deepEqual(await page.evaluate(() => [self.isSecureContext, Boolean(self.crypto?.subtle)]), [false, false]);
    const copy = join(tmp, 'insecure-copy.zip');
    writeFileSync(copy, readFileSync(demoZips[0]));
    const given = [demoZips[0], copy, demoZips[1]];
    await page.setInputFiles('#file-input', given);
    await waitForFiles(3);
    // The page has no hash to compare before adding: the engine refuses the copy, as the CLI does.
    assert.deepEqual((await fileStates()).map((s) => s[1]), ['done', 'error', 'done']);
    assert.match(await page.textContent('#file-list li.file[data-state="error"]'), /insecure-copy\.zip/);
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli(given, 'demo-and-copy'), 'analysis without crypto.subtle');
    // One file alone: split between the workers, and hashed by the engine.
    await page.click('#clear-button');
    await page.waitForFunction(() => document.querySelectorAll('#file-list li.file').length === 0);
    await open();
    await page.setInputFiles('#file-input', [demoZips[1]]);
    await page.waitForFunction(() => document.body.dataset.loading === 'false' && document.querySelector('#file-list li.file')?.dataset.state === 'done');
    assert.equal(await page.getAttribute('#file-list li.file', 'data-path'), 'split');
    await runAnalysis();
    assertSameJson((await downloadJson()).json, cli([demoZips[1]], 'demo-second'), 'one file split without crypto.subtle');
  });

  test('no uncaught errors in this page', () => {
    assert.deepEqual(errors, []);
  });
});
