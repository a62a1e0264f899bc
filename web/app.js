// The page: a thin shell around the wasm engine that runs in web/worker.js.
// Files are handed to the worker as Blobs (never uploaded); every number shown comes from the
// engine's result object and is only formatted here.

import { CoreClient } from './core-client.js';
import { sha256Hex } from './hash.js';
import { Loader, poolSize, soloFrom } from './loader.js';
import * as store from './store.js';
import { storageReason } from './store.js';
import { $, $$, el, hideAlert, save, showAlert } from './dom.js';
import {
  DASH, DEFAULT_SORT, SORT_KEYS, firstDir, fmtBytes, fmtCI, fmtDate, fmtDec2, fmtDuration, fmtInt, fmtP, fmtSig, percent, signalsToCsv, sortRows,
} from './format.js';
import { renderDescriptive } from './panels/descriptive.js';
import { CONVENTIONS, renderOnset } from './panels/onset.js';
import { readAges, renderListing } from './panels/listing.js';
import { renderFigures, svgNode } from './panels/figures.js';
import { copyMethods, renderExports } from './panels/exports.js';
import { listedCell, renderLabelLine, renderOverrides, setupLabelBox } from './panels/label.js';

const ui = {
  engineAlert: $('#engine-alert'),
  engineVersion: $('#engine-version'),
  drop: $('#drop-zone'),
  fileInput: $('#file-input'),
  demoButton: $('#demo-button'),
  clearButton: $('#clear-button'),
  cancelButton: $('#cancel-button'),
  remember: $('#remember'),
  storageStatus: $('#storage-status'),
  storageNotice: $('#storage-notice'),
  loadNote: $('#load-note'),
  dropNote: $('#drop-note'),
  demoNote: $('#demo-note'),
  demoDescription: $('#demo-description'),
  fileList: $('#file-list'),
  filesSummary: $('#files-summary'),
  form: $('#query-form'),
  chipBox: $('#chip-box'),
  chips: $('#chips'),
  termInput: $('#term-input'),
  match: $('#opt-match'),
  unit: $('#opt-unit'),
  dedup: $('#opt-dedup'),
  deleted: $('#opt-deleted'),
  rules: $('#opt-rules'),
  roles: $$('input[name="role"]'),
  runButton: $('#run-button'),
  runStatus: $('#run-status'),
  queryAlert: $('#query-alert'),
  results: $('#results'),
  staleNote: $('#stale-note'),
  resultSynthetic: $('#result-synthetic'),
  suggestions: $('#suggestions'),
  summary: $('#summary'),
  settings: $('#settings'),
  resultWarnings: $('#result-warnings'),
  matchedBody: $('#matched-table tbody'),
  excludedNote: $('#excluded-note'),
  descriptive: $('#descriptive'),
  filter: $('#pt-filter'),
  signalsOnly: $('#signals-only'),
  rowCount: $('#row-count'),
  table: $('#signal-table'),
  tableBody: $('#signal-table tbody'),
  tableEmpty: $('#table-empty'),
  downloadJson: $('#download-json'),
  downloadCsv: $('#download-csv'),
  signalRule: $('#signal-rule'),
  caseForm: $('#case-form'),
  caseInput: $('#case-input'),
  caseRule: $('#case-rule'),
  caseAlert: $('#case-alert'),
  caseResult: $('#case-result'),
  sensButton: $('#sens-button'),
  sensAlert: $('#sens-alert'),
  sensStatus: $('#sens-status'),
  sensResult: $('#sens-result'),
  sensVariants: $('#sens-variants tbody'),
  sensFlips: $('#sens-flips'),
  sensFlipsOnly: $('#sens-flips-only'),
  sensCount: $('#sens-count'),
  sensTable: $('#sens-table'),
  criterion: $('#opt-criterion'),
  chi2: $('#opt-chi2'),
  chi2Field: $('#field-chi2'),
  adjust: $('#opt-adjust'),
  z: $('#opt-z'),
  zero: $('#opt-zero'),
  ic: $('#opt-ic'),
  ebgm: $('#opt-ebgm'),
  ebgmStrata: $('#opt-ebgm-strata'),
  ebgmLik: $('#opt-ebgm-lik'),
  customBox: $('#custom-criterion'),
  thresholds: {
    min_a: $('#opt-min-a'),
    ror_lower_above: $('#opt-ror-lower'),
    min_prr: $('#opt-min-prr'),
    min_chi2: $('#opt-min-chi2'),
    ic025_above: $('#opt-ic025-above'),
  },
  caption: $('#signal-caption'),
  columnsMenu: $('#columns-menu'),
  columnsList: $('#columns-list'),
  groupSoc: $('#group-soc'),
  groupSocLabel: $('#group-soc-label'),
  ebgmFit: $('#ebgm-fit'),
  ebgmFitBody: $('#ebgm-fit-body'),
  socPanel: $('#soc-panel'),
  meddraNeeded: $('#meddra-needed'),
  socResult: $('#soc-result'),
  socNote: $('#soc-note'),
  socBody: $('#soc-table tbody'),
  meddraInput: $('#meddra-input'),
  meddraFolder: $('#meddra-folder'),
  meddraStatus: $('#meddra-status'),
  meddraRemove: $('#meddra-remove'),
  meddraAlert: $('#meddra-alert'),
  onset: $('#opt-onset'),
  onsetBody: $('#onset-body'),
  newOnly: $('#new-only'),
  newOnlyLabel: $('#new-only-label'),
  labelLine: $('#label-line'),
  labelOverrides: $('#label-overrides'),
  label: {
    box: $('#label-box'),
    input: $('#label-input'),
    status: $('#label-status'),
    remove: $('#label-remove'),
    text: $('#label-text'),
    useText: $('#label-use-text'),
    alert: $('#label-alert'),
    summary: $('#label-summary'),
  },
  listingForm: $('#listing-form'),
  listingFrom: $('#listing-from'),
  listingBelow: $('#listing-below'),
  listingAlert: $('#listing-alert'),
  listing: {
    head: $('#listing-table thead'),
    body: $('#listing-table tbody'),
    wrap: $('#listing-wrap'),
    empty: $('#listing-empty'),
    count: $('#listing-count'),
  },
  figuresBody: $('#figures-body'),
  figuresAlert: $('#figures-alert'),
  exportsAlert: $('#exports-alert'),
  exports: {
    list: $('#export-list'),
    all: $('#export-all'),
    methods: $('#methods-text'),
    copy: $('#copy-methods'),
    copyStatus: $('#copy-status'),
  },
};

const OPTION_DEFAULTS = { match: 'contains', unit: 'reports', dedup: 'fda', deleted: 'apply', roles: ['PS', 'SS'], rule_dedup: false };
// The conventions: URL parameter -> control, default.
const CONVENTION_PARAMS = [
  ['crit', 'criterion', 'study'],
  ['chi2', 'chi2', 'pearson'],
  ['adjust', 'adjust', 'none'],
  ['z', 'z', '1.96'],
  ['zero', 'zero', 'undefined'],
  ['ic', 'ic', 'closed'],
  ['lik', 'ebgmLik', 'component'],
  ['onset', 'onset', '+0'],
];
const LISTING_DEFAULTS = { age_from: 0, age_below: 18 };
// Custom thresholds: option name -> URL parameter.
const THRESHOLD_PARAMS = { min_a: 'min_a', ror_lower_above: 'ror_lower', min_prr: 'min_prr', min_chi2: 'min_chi2', ic025_above: 'ic025_above' };
const ROLE_ORDER = ['PS', 'SS', 'C', 'I', 'DN'];

const state = {
  terms: [],
  exclude: [], // matched spellings the reviewer unticked, as the engine lists them
  files: [], // {key, name, bytes, synthetic, status: 'waiting'|'reading'|'done'|'error'|'cancelled', done, total, summary, error, node,
  //           sha256, path: 'whole'|'split'|'snapshot'|'restored', remembered, stored}
  restoring: Promise.resolve(), // the quarters kept by the browser, being added on page open
  storageRefused: null, // the reason the browser did not keep the data
  storageGeneration: 0, // bumped by "Forget loaded data": writes of an older generation are dropped
  flushing: false,
  loading: null, // promise of the running load queue
  result: null,
  resultOptions: null, // the options the shown result was computed with
  resultSynthetic: false,
  rerun: false, // a run was asked for while one was running
  caseRequest: null, // {caseid, options} of the case history shown
  caseSeq: 0,
  sensitivity: null, // the comparison shown (for the shown result)
  sensFlipsOnly: false,
  sort: { ...DEFAULT_SORT },
  filter: '',
  signalsOnly: false,
  running: false,
  visibleRows: [],
  demoManifest: null,
  columns: null, // ids of the optional column groups shown (set from DEFAULT_COLUMNS or the URL)
  groupSoc: false,
  meddra: null, // {version, pts} of the user's MedDRA release, when loaded
  overrides: {}, // the reviewer's listedness calls: PT -> call (label_overrides)
  newOnly: false, // "New signals only": signals the label does not list
  exports: null, // [{name, mime, content}] of the shown result, from the engine
  exportsError: null,
  focusOverride: null, // the PT whose override select had the focus before a re-run
};

// ---------------------------------------------------------------- engine

const core = new CoreClient({
  onReady(version) {
    ui.engineVersion.textContent = `Engine ${version}, running locally.`;
    document.body.dataset.engine = 'ready';
    loader.warm();
  },
  onFatal(message) {
    showAlert(ui.engineAlert, message);
    document.body.dataset.engine = 'failed';
    for (const f of state.files) {
      if (f.status === 'waiting' || f.status === 'reading') {
        f.status = 'error';
        f.error = message;
        renderFile(f);
      }
    }
    updateFilesSummary();
  },
});

// The worker pool that reads files (web/loader.js): W workers, `?workers=N` overrides.
const WORKERS = poolSize();
// The deduplication every query needs is queued behind the last file's add (see trackLoading),
// or computed before it, while the last file's DRUG table is still being read.
const loader = new Loader(core, WORKERS, {
  soloFrom: soloFrom(),
  afterLastAdd: () => core.prepare(currentOptions()).catch(() => {}),
  whileDrugReads: (name) => core.prepareAhead(name, currentOptions()).catch(() => {}),
});
document.body.dataset.workers = String(WORKERS);
// For the benchmark (tests/e2e/bench-browser.mjs): the workers' wasm memory.
self.faersMemory = () => loader.memory();

// ---------------------------------------------------------------- URL state

function readUrlState() {
  const p = new URLSearchParams(window.location.search);
  const terms = p.getAll('drug').flatMap(splitTerms);
  setTerms(terms);
  const pick = (select, value) => {
    if (value && [...select.options].some((o) => o.value === value)) select.value = value;
  };
  pick(ui.match, p.get('match'));
  pick(ui.unit, p.get('unit'));
  pick(ui.dedup, p.get('dedup'));
  pick(ui.deleted, p.get('deleted'));
  ui.rules.checked = p.get('rules') === '1';
  state.exclude = uniqueNames(p.getAll('exclude').map((s) => s.trim()).filter(Boolean));
  if (p.has('roles')) {
    const roles = p.get('roles').toUpperCase().split(',').map((s) => s.trim());
    for (const box of ui.roles) box.checked = roles.includes(box.value);
  }
  const sort = p.get('sort');
  if (sort && SORT_KEYS[sort]) {
    state.sort = { key: sort, dir: p.get('dir') === 'asc' ? 'asc' : 'desc' };
  }
  for (const [param, control] of CONVENTION_PARAMS) pick(ui[control], p.get(param));
  for (const [name, param] of Object.entries(THRESHOLD_PARAMS)) ui.thresholds[name].value = p.get(param) ?? '';
  ui.ebgm.checked = p.get('ebgm') === '1';
  ui.ebgmStrata.checked = p.get('strata') === '1';
  syncCriterionControls();
  if (p.has('cols')) {
    const ids = p.get('cols').split(',').map((x) => x.trim());
    state.columns = COLUMN_GROUPS.map((g) => g.id).filter((id) => ids.includes(id));
  } else {
    state.columns = [...DEFAULT_COLUMNS];
  }
  state.groupSoc = p.get('group') === 'soc';
  ui.groupSoc.checked = state.groupSoc;
  state.signalsOnly = p.get('only') === 'signals';
  ui.signalsOnly.checked = state.signalsOnly;
  state.filter = p.get('q') || '';
  ui.filter.value = state.filter;
  state.newOnly = p.get('new') === '1';
  ui.newOnly.checked = state.newOnly;
  ui.listingFrom.value = p.get('list_from') ?? '';
  ui.listingBelow.value = p.get('list_below') ?? '';
  state.overrides = {};
  for (const x of p.getAll('override')) {
    const i = x.lastIndexOf('=');
    const pt = normName(i > 0 ? x.slice(0, i) : '');
    const call = i > 0 ? x.slice(i + 1).trim() : '';
    if (pt && call) state.overrides[pt] = call;
  }
}

function writeUrlState() {
  const p = new URLSearchParams();
  for (const t of state.terms) p.append('drug', t);
  const o = currentOptions();
  if (o.match !== OPTION_DEFAULTS.match) p.set('match', o.match);
  if (o.roles.join(',') !== OPTION_DEFAULTS.roles.join(',')) p.set('roles', o.roles.join(','));
  if (o.unit !== OPTION_DEFAULTS.unit) p.set('unit', o.unit);
  if (o.dedup !== OPTION_DEFAULTS.dedup) p.set('dedup', o.dedup);
  if (o.deleted !== OPTION_DEFAULTS.deleted) p.set('deleted', o.deleted);
  if (o.rule_dedup !== OPTION_DEFAULTS.rule_dedup) p.set('rules', o.rule_dedup ? '1' : '0');
  for (const x of o.exclude) p.append('exclude', x);
  for (const [param, control, def] of CONVENTION_PARAMS) if (ui[control].value !== def) p.set(param, ui[control].value);
  if (ui.criterion.value === 'custom') {
    for (const [name, param] of Object.entries(THRESHOLD_PARAMS)) {
      const v = ui.thresholds[name].value.trim();
      if (v) p.set(param, v);
    }
  }
  if (ui.ebgm.checked) p.set('ebgm', '1');
  if (ui.ebgmStrata.checked) p.set('strata', '1');
  if (state.columns && state.columns.join(',') !== DEFAULT_COLUMNS.join(',')) p.set('cols', state.columns.join(','));
  if (state.groupSoc) p.set('group', 'soc');
  if (state.sort.key !== DEFAULT_SORT.key || state.sort.dir !== DEFAULT_SORT.dir) {
    p.set('sort', state.sort.key);
    p.set('dir', state.sort.dir);
  }
  if (state.signalsOnly) p.set('only', 'signals');
  if (state.newOnly) p.set('new', '1');
  if (state.filter) p.set('q', state.filter);
  const ages = listingAges();
  if (ages.age_from !== LISTING_DEFAULTS.age_from) p.set('list_from', String(ages.age_from));
  if (ages.age_below !== LISTING_DEFAULTS.age_below) p.set('list_below', String(ages.age_below));
  for (const [pt, call] of Object.entries(state.overrides)) p.append('override', `${pt}=${call}`);
  const qs = p.toString();
  const url = `${window.location.pathname}${qs ? `?${qs}` : ''}${window.location.hash}`;
  window.history.replaceState(null, '', url);
}

// ---------------------------------------------------------------- drug term chips

function splitTerms(text) {
  return String(text)
    .split(/[,;\n]+/)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

function setTerms(terms) {
  state.terms = [];
  addTerms(terms, { quiet: true });
}

function addTerms(terms, { quiet = false } = {}) {
  let changed = false;
  for (const t of terms) {
    if (!state.terms.some((x) => x.toLowerCase() === t.toLowerCase())) {
      state.terms.push(t);
      changed = true;
    }
  }
  renderChips();
  if (changed && !quiet) optionsChanged();
}

function removeTerm(index) {
  state.terms.splice(index, 1);
  renderChips();
  optionsChanged();
}

function commitTermInput() {
  const terms = splitTerms(ui.termInput.value);
  ui.termInput.value = '';
  if (terms.length) addTerms(terms);
}

function renderChips() {
  ui.chips.replaceChildren(
    ...state.terms.map((t, i) =>
      el(
        'li',
        { class: 'chip' },
        el('span', { class: 'chip-text', text: t }),
        el('button', {
          type: 'button',
          class: 'chip-remove',
          'aria-label': `Remove ${t}`,
          title: `Remove ${t}`,
          text: '×',
          onclick: () => {
            removeTerm(i);
            ui.termInput.focus();
          },
        }),
      ),
    ),
  );
  ui.termInput.placeholder = state.terms.length ? 'Add another name' : 'e.g. inotuzumab, besponsa';
}

ui.chipBox.addEventListener('click', (e) => {
  if (e.target === ui.chipBox || e.target === ui.chips) ui.termInput.focus();
});
ui.termInput.addEventListener('input', () => {
  if (/[,;\n]/.test(ui.termInput.value)) {
    const parts = ui.termInput.value.split(/[,;\n]/);
    const rest = parts.pop();
    addTerms(parts.map((s) => s.trim()).filter(Boolean));
    ui.termInput.value = rest.trimStart();
  }
});
ui.termInput.addEventListener('keydown', (e) => {
  if (e.key === 'Backspace' && ui.termInput.value === '' && state.terms.length) {
    removeTerm(state.terms.length - 1);
    e.preventDefault();
  }
});
ui.termInput.addEventListener('blur', commitTermInput);

// ---------------------------------------------------------------- options

function currentOptions() {
  const roles = ui.roles.filter((b) => b.checked).map((b) => b.value);
  roles.sort((x, y) => ROLE_ORDER.indexOf(x) - ROLE_ORDER.indexOf(y));
  return {
    drugs: [...state.terms],
    match: ui.match.value,
    roles,
    unit: ui.unit.value,
    dedup: ui.dedup.value,
    deleted: ui.deleted.value,
    rule_dedup: ui.rules.checked,
    exclude: [...state.exclude],
    z: ui.z.value,
    zero_cells: ui.zero.value,
    criterion: criterionOption(),
    adjust: ui.adjust.value,
    ic: ui.ic.value,
    // Showing the column asks the engine for it (an exact interval per PT costs time).
    cmle: state.columns.includes('cmle'),
    ebgm: ui.ebgm.checked || ui.ebgmStrata.checked,
    ebgm_likelihood: ui.ebgmLik.value,
    ebgm_strata: ui.ebgmStrata.checked,
    listing: listingAges(),
    onset: ui.onset.value,
    label_overrides: { ...state.overrides },
  };
}

/** The listing's age range as typed, or the defaults while what is typed is not a range. */
function listingAges() {
  const ages = readAges(ui.listingFrom, ui.listingBelow);
  return ages.error ? { ...LISTING_DEFAULTS } : { age_from: ages.age_from, age_below: ages.age_below };
}

/** The criterion as the engine takes it; custom thresholds left empty are not sent. */
function criterionOption() {
  const preset = ui.criterion.value;
  if (preset === 'evans') return { preset, chi2: ui.chi2.value };
  if (preset !== 'custom') return { preset };
  const out = { preset };
  for (const name of Object.keys(THRESHOLD_PARAMS)) {
    const text = ui.thresholds[name].value.trim();
    // The engine judges the number (a whole a, finite thresholds) and says what is wrong.
    if (text) out[name] = Number(text);
  }
  return out;
}

/** Shows the controls that belong to the chosen criterion; EB05 needs EBGM, so it switches it on. */
function syncCriterionControls() {
  const preset = ui.criterion.value;
  ui.chi2Field.hidden = preset !== 'evans';
  ui.customBox.hidden = preset !== 'custom';
  if (preset === 'eb05') ui.ebgm.checked = true;
  ui.ebgm.disabled = preset === 'eb05';
  ui.ebgm.title = preset === 'eb05' ? 'The EB05 criterion needs EBGM' : '';
}

/** A name as the engine compares it: blanks trimmed and collapsed, upper case. */
function normName(s) {
  return String(s).trim().replace(/\s+/g, ' ').toUpperCase();
}

function uniqueNames(names) {
  const out = [];
  for (const n of names) if (!out.some((x) => normName(x) === normName(n))) out.push(n);
  return out;
}

function optionsChanged() {
  writeUrlState();
  markStale();
}

for (const node of [ui.match, ui.unit, ui.dedup, ui.deleted, ui.rules, ...ui.roles,
  ui.criterion, ui.chi2, ui.adjust, ui.z, ui.zero, ui.ic, ui.ebgm, ui.ebgmStrata, ui.ebgmLik, ...Object.values(ui.thresholds)]) {
  node.addEventListener('change', () => {
    if (node === ui.criterion) syncCriterionControls();
    optionsChanged();
  });
}

// The onset convention changes only the time to onset: a shown result is refreshed at once.
ui.onset.addEventListener('change', () => {
  writeUrlState();
  if (state.result) run();
  else markStale();
});

/** Runs again when a result is shown (a view option changed), else only remembers the choice. */
function rerunIfShown() {
  writeUrlState();
  if (state.result) run();
}

// Enter runs from anywhere in the form (text inputs submit natively; checkboxes and selects do not).
ui.form.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || e.isComposing) return;
  const t = e.target;
  if (t instanceof HTMLSelectElement || (t instanceof HTMLInputElement && t.type === 'checkbox')) {
    e.preventDefault();
    ui.form.requestSubmit();
  }
});

ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  commitTermInput();
  run();
});

function markStale() {
  if (state.result) ui.staleNote.hidden = false;
}

// ---------------------------------------------------------------- files

function fileKey(name, bytes) {
  return `${name}\u0000${bytes}`;
}

/**
 * Queues blobs for reading. Each file is hashed here first (a file already loaded, e.g. remembered
 * from the last visit, is not read again), then read by the worker pool (web/loader.js). Resolves
 * when every file given so far is loaded, failed or cancelled.
 */
function addFiles(items) {
  hideAlert(ui.queryAlert);
  const added = [];
  for (const { name, blob, synthetic } of items) {
    const key = fileKey(name, blob.size);
    const existing = state.files.find((f) => f.key === key && !['error', 'cancelled'].includes(f.status));
    if (existing) {
      flash(existing);
      alreadyLoaded(name, existing);
      continue;
    }
    const f = {
      key, name, blob, bytes: blob.size, synthetic: Boolean(synthetic),
      status: 'waiting', done: 0, total: 0, summary: null, error: null, node: null,
      sha256: null, path: null, started: 0,
      // The hash the worker reading it made (null: the page is to hash it).
      workerHash: settable(),
    };
    state.files.push(f);
    added.push(f);
    renderFile(f);
  }
  if (!added.length) return state.loading || Promise.resolve();
  if (added.length === items.length) ui.loadNote.textContent = '';
  markStale();
  updateFilesSummary();
  // Each file is hashed (one after another, after the remembered quarters are back) while the pool
  // reads it: a file already loaded is then stopped before it is added.
  const reads = [];
  let chain = state.restoring;
  for (const f of added) {
    const hashed = chain.then(() => prepare(f));
    chain = hashed;
    reads.push(readFile(f, hashed));
  }
  return trackLoading(Promise.allSettled(reads));
}

function trackLoading(work) {
  const loading = Promise.all([state.loading, work]).then(() => {});
  state.loading = loading;
  updateFilesSummary();
  loading.finally(() => {
    if (state.loading === loading) state.loading = null;
    updateFilesSummary();
    // The deduplication every query needs, while the reviewer types the drug (a query asked
    // for at once waits no longer: it would compute the same first). After files read by the
    // pool the worker has it already (the loader's afterLastAdd): this is then a cached lookup;
    // after remembered quarters come back, it computes it.
    if (!state.loading && state.files.some((f) => f.status === 'done')) core.prepare(currentOptions()).catch(() => {});
    // Kept for next time a moment later: an analysis asked for right away goes first.
    setTimeout(flushStorage, 1500);
  });
  return loading;
}

function alreadyLoaded(name, existing) {
  const what = existing.status === 'done' ? 'already loaded' : 'already being read';
  ui.loadNote.textContent = existing.remembered && existing.status === 'done'
    ? `${name} is ${what} (remembered from your last visit).`
    : `${name} is ${what}.`;
}

/** A promise with its `set(value)`; setting it again does nothing. */
function settable() {
  let set;
  const promise = new Promise((resolve) => { set = resolve; });
  promise.set = set;
  return promise;
}

/**
 * A file's SHA-256 (null: unavailable), or {skip: true} when it is already loaded (or was not
 * read). The worker that reads the file whole hashes it from the bytes it reads anyway (reading
 * it here once more took ~0.16 s of a core for a full quarter); when the analysis worker reads
 * alone, the page hashes it on the other core while it is read (web/loader.js).
 */
async function prepare(f) {
  if (f.status === 'cancelled') return { skip: true };
  const given = await f.workerHash;
  if (['cancelled', 'error'].includes(f.status)) return { skip: true };
  f.sha256 = given ?? await sha256Hex(f.blob);
  if (f.status === 'cancelled') return { skip: true };
  const same = f.sha256 && state.files.find((x) => x !== f && x.sha256 === f.sha256 && !['error', 'cancelled'].includes(x.status));
  if (same) {
    state.files = state.files.filter((x) => x !== f);
    f.node?.remove();
    flash(same);
    alreadyLoaded(f.name, same);
    updateFilesSummary();
    return { skip: true };
  }
  return f.sha256;
}

async function readFile(f, sha256) {
  try {
    const { summary, path, snapshot } = await loader.read({
      name: f.name,
      blob: f.blob,
      sha256,
      keepSnapshot: wantStored(f),
      onHash: f.workerHash.set,
      // A file read split is added, and its table drawn, before its hash is known.
      // (The read resolved first: f.summary is set.)
      onHashGiven(hash) {
        if (f.summary && !f.summary.sha256) f.summary.sha256 = hash;
        if (!f.sha256) f.sha256 = hash;
        if (!state.files.includes(f)) return;
        renderFile(f);
        if (!state.loading) setTimeout(flushStorage, 1500);
      },
      onStart(how) {
        if (f.status === 'cancelled' || !state.files.includes(f)) return;
        f.status = 'reading';
        f.path = how;
        f.started = performance.now();
        renderFile(f);
        updateFilesSummary();
      },
      onProgress(done, total) {
        if (f.status !== 'reading' || !state.files.includes(f)) return;
        f.done = done;
        f.total = total;
        progressSoon(f);
      },
    });
    f.summary = summary;
    f.snapshot = snapshot;
    f.path = path;
    if (summary && summary.error) {
      f.status = 'error';
      f.error = summary.error;
    } else {
      f.status = 'done';
      if (!f.sha256 && summary) f.sha256 = summary.sha256 || null;
    }
    document.body.dataset.loadPath = path;
  } catch (err) {
    if (err.cancelled) {
      f.status = 'cancelled';
    } else {
      f.status = 'error';
      f.error = err.message;
    }
  }
  // Not read (cancelled while waiting, or failed): its hash is not to wait any more. (Read split,
  // its DRUG reader hashes it now; onHash follows.)
  if (f.path !== 'split' || f.status !== 'done') f.workerHash.set(null);
  // The worker holds what it needs; the page may still hash it (its reader stopped, or no hash).
  Promise.resolve(sha256).catch(() => {}).finally(() => { f.blob = null; });
  if (!state.files.includes(f)) return; // already loaded: not listed twice
  renderFile(f);
  updateFilesSummary();
}

// ---------------------------------------------------------------- cancel

ui.cancelButton.addEventListener('click', async () => {
  for (const f of state.files) if (f.status === 'waiting') f.status = 'cancelled';
  const n = loader.cancel();
  for (const f of state.files) if (f.status === 'cancelled') renderFile(f);
  updateFilesSummary();
  ui.loadNote.textContent = n || state.files.some((f) => f.status === 'cancelled')
    ? 'Loading cancelled: the files not yet added were left out; the files listed as loaded are complete.'
    : '';
});

// ---------------------------------------------------------------- storage of loaded quarters

const REMEMBER_KEY = 'faers.remember';

function rememberOn() {
  try {
    return self.localStorage?.getItem(REMEMBER_KEY) !== '0';
  } catch {
    return true;
  }
}

/** Whether this file's quarter goes to the browser's storage (not the synthetic demo). */
function wantStored(f) {
  return ui.remember.checked && !state.storageRefused && !f.synthetic;
}

function storageRefused(err) {
  if (state.storageRefused) return;
  state.storageRefused = storageReason(err);
  document.body.dataset.storage = 'refused';
  ui.storageNotice.textContent = `The browser did not keep the data (${state.storageRefused}); it will be read again next time.`;
  ui.storageNotice.hidden = false;
  renderStorageStatus();
}

/** Stores the snapshots of the files loaded since the last time (after loading, not to slow it down). */
async function flushStorage() {
  if (state.flushing || state.loading) return;
  state.flushing = true;
  try {
    for (;;) {
      // (Once the workspace has its hash: the snapshot holds the file's summary.)
      const f = state.files.find((x) => x.status === 'done' && !x.stored && !x.storeTried && x.summary?.sha256 && x.sha256 && wantStored(x));
      if (!f || state.loading) break;
      // The snapshot is made by the analysis worker: not while an analysis runs.
      while (state.running) await new Promise((r) => setTimeout(r, 200));
      f.storeTried = true;
      const generation = state.storageGeneration;
      try {
        const data = f.snapshot || new Blob([await core.snapshot(f.summary.quarter)]);
        if (generation !== state.storageGeneration || !state.files.includes(f)) continue;
        await store.put({
          sha256: f.sha256, name: f.name, quarter: f.summary.quarter, size: f.bytes,
          version: core.version, bytes: data.size, added: Date.now(), data,
        });
        if (generation !== state.storageGeneration) continue;
        f.stored = true;
        f.storedBytes = data.size;
        f.snapshot = null;
      } catch (err) {
        storageRefused(err);
        break;
      }
    }
  } finally {
    state.flushing = false;
    renderStorageStatus();
  }
}

function renderStorageStatus() {
  const stored = state.files.filter((f) => f.stored);
  const remembered = state.files.filter((f) => f.remembered && f.status === 'done');
  const bytes = (list) => fmtBytes(list.reduce((n, f) => n + (f.storedBytes || 0), 0));
  let text = '';
  if (remembered.length) {
    text = `Remembered from your last visit: ${remembered.length} file${remembered.length === 1 ? '' : 's'}, ${bytes(remembered)}.`;
    if (stored.length > remembered.length) text += ` ${stored.length - remembered.length} more kept for next time.`;
  } else if (stored.length) {
    text = `Kept in this browser for next time: ${stored.length} file${stored.length === 1 ? '' : 's'}, ${bytes(stored)}.`;
  } else if (!ui.remember.checked) {
    text = 'Loaded files are not kept: they are read again next time.';
  }
  ui.storageStatus.textContent = text;
  document.body.dataset.remembered = String(remembered.length);
  document.body.dataset.stored = String(stored.length);
}

/** On page open: adds every stored quarter to the analysis worker, without reading any zip. */
async function restoreStored() {
  if (!rememberOn()) return;
  let records;
  try {
    records = await store.list();
  } catch (err) {
    storageRefused(err);
    return;
  }
  if (!records.length) return;
  await core.ready;
  const refused = [];
  for (const r of records) {
    const f = {
      key: fileKey(r.name, r.size), name: r.name, blob: null, bytes: r.size, synthetic: false,
      status: 'reading', done: 0, total: 0, summary: null, error: null, node: null,
      sha256: r.sha256, path: 'restored', remembered: true, stored: true, storedBytes: r.bytes || r.data?.size || 0,
    };
    state.files.push(f);
    renderFile(f);
    try {
      const summary = await core.addSnapshot(r.data);
      if (summary && summary.error) throw new Error(summary.error);
      f.summary = summary;
      f.status = 'done';
      renderFile(f);
    } catch (err) {
      if (core.fatal) return;
      state.files = state.files.filter((x) => x !== f);
      f.node?.remove();
      refused.push(r.name);
      store.remove(r.sha256).catch(() => {});
    }
  }
  if (refused.length) {
    ui.loadNote.textContent = `${refused.join(', ')}: the copy kept by the browser is from an older version of this tool and was dropped. Drop the zip${refused.length === 1 ? '' : 's'} again.`;
  }
  if (state.files.some((f) => f.remembered)) document.body.dataset.loadPath = 'restored';
}

ui.remember.checked = rememberOn();
ui.remember.addEventListener('change', async () => {
  try {
    self.localStorage?.setItem(REMEMBER_KEY, ui.remember.checked ? '1' : '0');
  } catch {
    /* the choice lasts for this visit only */
  }
  if (ui.remember.checked) {
    for (const f of state.files) f.storeTried = false;
    flushStorage();
    return;
  }
  // Not kept any more: the browser's copy goes, what is loaded stays.
  state.storageGeneration += 1;
  try {
    await store.clearAll();
  } catch {
    /* nothing was kept */
  }
  for (const f of state.files) {
    f.stored = false;
    f.remembered = false;
  }
  renderStorageStatus();
});

ui.dropNote.textContent = WORKERS > 1
  ? `Files are read on this computer by ${WORKERS} workers at once. A large quarter takes a few seconds.`
  : 'Files are read on this computer, one after another. Large quarters take a few seconds each.';
document.body.dataset.storage = 'ok';
state.restoring = restoreStored().catch((err) => {
  showAlert(ui.queryAlert, `Could not add the data kept from your last visit: ${err.message}`);
}).finally(() => {
  document.body.dataset.restore = 'done';
  updateFilesSummary();
});
trackLoading(state.restoring);
warmUp().then((how) => {
  document.body.dataset.warm = how;
});

/**
 * With nothing loaded once the engine is up, the analysis worker reads the bundled demo's first
 * quarter and forgets it (CoreClient.warmUp): the browser then runs a reviewer's first file on
 * optimised code. 'done', or 'skipped' (files came first, or no demo in this build).
 */
async function warmUp() {
  try {
    await core.ready;
    await state.restoring;
    if (state.files.length) return 'skipped';
    const first = (await demoManifest()).files?.[0];
    if (!first) return 'skipped';
    const blob = await demoFile(first.name);
    if (state.files.length) return 'skipped'; // a file came meanwhile: it goes first
    await core.warmUp(first.name, blob, currentOptions());
    return 'done';
  } catch {
    return 'skipped';
  }
}

function flash(f) {
  if (!f.node) return;
  f.node.classList.remove('flash');
  void f.node.offsetWidth; // restart the animation
  f.node.classList.add('flash');
}

function badge(text, cls = '') {
  return el('span', { class: `badge ${cls}`.trim(), text });
}

function errorText(f) {
  const msg = String(f.error || 'unknown error');
  return msg.includes(f.name) ? msg : `${f.name}: ${msg}`;
}

function renderFile(f) {
  const s = f.summary;
  const head = el(
    'div',
    { class: 'file-head' },
    el('span', { class: 'file-icon', 'aria-hidden': 'true' }),
    el('span', { class: 'file-name', text: f.name }),
    s && s.quarter ? badge(s.quarter, 'badge-quarter') : null,
    s && s.era ? badge(s.era === 'legacy' ? 'legacy AERS' : s.era.toUpperCase(), 'badge-era') : null,
    f.synthetic ? badge('synthetic', 'badge-synthetic') : null,
    el('span', { class: 'file-size muted', text: fmtBytes(f.bytes) }),
    el('span', { class: 'file-status', text: statusText(f) }),
  );
  const body = [];
  if (f.status === 'reading' || f.status === 'waiting') {
    body.push(progressNode(f));
  } else if (f.status === 'error') {
    body.push(el('p', { class: 'file-error', role: 'alert', text: errorText(f) }));
  } else if (f.status === 'cancelled') {
    body.push(el('p', { class: 'file-cancelled muted', text: 'Cancelled: not loaded. Add it again to read it.' }));
  } else if (s) {
    body.push(detailsNode(s));
  }
  const node = el('li', { class: 'file', dataset: { state: f.status, name: f.name, path: f.path || '' } }, head, ...body);
  if (f.node) f.node.replaceWith(node);
  else ui.fileList.append(node);
  f.node = node;
}

function statusText(f) {
  switch (f.status) {
    case 'waiting': return 'waiting';
    case 'reading': return f.path === 'restored' ? 'restoring…' : 'reading…';
    case 'done': return f.remembered ? 'loaded (remembered)' : 'loaded';
    case 'cancelled': return 'cancelled';
    default: return 'not loaded';
  }
}

/** "12.3 MB of 321 MB uncompressed · 4% · 85 MB/s · 3 s left" */
function progressText(f) {
  if (f.path === 'restored') return 'Adding the copy kept by this browser…';
  if (!f.total) return 'Opening…';
  const pct = percent(f.done, f.total);
  const parts = [`${fmtBytes(f.done)} of ${fmtBytes(f.total)} uncompressed`, `${pct}%`];
  const seconds = (performance.now() - f.started) / 1000;
  if (f.done > 0 && seconds > 0.3) {
    const rate = f.done / seconds;
    parts.push(`${(rate / 1e6).toFixed(0)} MB/s`);
    if (f.done < f.total) parts.push(`${Math.max(1, Math.round((f.total - f.done) / rate))} s left`);
  }
  return parts.join(' · ');
}

function progressNode(f) {
  const pct = percent(f.done, f.total);
  const label = f.status === 'waiting' ? 'Waiting for a free worker' : progressText(f);
  return el(
    'div',
    { class: 'file-progress' },
    el('progress', { max: 100, value: f.status === 'waiting' ? 0 : pct, 'aria-label': `Reading ${f.name}` }),
    el('span', { class: 'progress-label muted', text: label }),
  );
}

// Progress is drawn at most every PROGRESS_DRAW_MS: each drawing lays the page out, on a core the
// workers reading the files need (two workers report ~25 times a second between them).
const PROGRESS_DRAW_MS = 250;
const progressDue = new Set();
let progressTimer = 0;

function progressSoon(f) {
  progressDue.add(f);
  if (progressTimer) return;
  progressTimer = setTimeout(() => {
    progressTimer = 0;
    for (const due of progressDue) if (due.status === 'reading') renderProgress(due);
    progressDue.clear();
  }, PROGRESS_DRAW_MS);
}

function renderProgress(f) {
  if (!f.node) return;
  const bar = $('progress', f.node);
  const label = $('.progress-label', f.node);
  if (!bar || !label) return renderFile(f);
  const pct = percent(f.done, f.total);
  bar.value = pct;
  label.textContent = progressText(f);
}

function detailsNode(s) {
  const tables = s.tables && typeof s.tables === 'object' ? Object.entries(s.tables) : [];
  const warnings = Array.isArray(s.warnings) ? s.warnings : [];
  const repaired = s.repaired_lines || 0;
  const skipped = s.skipped_lines || 0;
  const issues = Array.isArray(s.line_issues) ? s.line_issues : [];
  const demo = s.tables && typeof s.tables.DEMO === 'number' ? `${fmtInt(s.tables.DEMO)} reports` : null;
  const parts = [
    demo,
    `${tables.length} table${tables.length === 1 ? '' : 's'}`,
    repaired ? `${fmtInt(repaired)} repaired line${repaired === 1 ? '' : 's'}` : null,
    skipped ? `${fmtInt(skipped)} skipped line${skipped === 1 ? '' : 's'}` : null,
    warnings.length ? `${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : null,
  ].filter(Boolean);
  const details = el(
    'details',
    { class: `file-details${warnings.length || skipped ? ' has-warnings' : ''}` },
    el('summary', { text: parts.join(' · ') }),
    el(
      'div',
      { class: 'file-details-body' },
      el(
        'table',
        { class: 'mini table-rows' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Table' }), el('th', { scope: 'col', class: 'num', text: 'Rows' }))),
        el('tbody', {}, tables.map(([t, n]) => el('tr', {}, el('th', { scope: 'row', text: t }), el('td', { class: 'num', text: fmtInt(n) })))),
      ),
      el(
        'dl',
        { class: 'kv' },
        el('dt', { text: 'Repaired lines' }), el('dd', { text: fmtInt(repaired) }),
        el('dt', { text: 'Skipped lines' }), el('dd', { text: fmtInt(skipped) }),
        s.sha256 ? [el('dt', { text: 'SHA-256' }), el('dd', { class: 'hash', text: s.sha256 })] : null,
      ),
      warnings.length
        ? el('ul', { class: 'warnings' }, warnings.map((w) => el('li', { text: String(w) })))
        : null,
      issues.length ? issuesNode(issues, repaired + skipped) : null,
    ),
  );
  return details;
}

function issuesNode(issues, total) {
  return el(
    'div',
    { class: 'issues' },
    el('h4', { text: total > issues.length ? `Repaired and skipped lines (first ${fmtInt(issues.length)} of ${fmtInt(total)})` : 'Repaired and skipped lines' }),
    el(
      'div',
      { class: 'scroll-box' },
      el(
        'table',
        { class: 'mini' },
        el('thead', {}, el('tr', {}, ['File member', 'Line', 'Action', 'Reason'].map((h, i) => el('th', { scope: 'col', class: i === 1 ? 'num' : null, text: h })))),
        el(
          'tbody',
          {},
          issues.map((x) =>
            el(
              'tr',
              {},
              el('td', { text: x.member ?? '' }),
              el('td', { class: 'num', text: fmtInt(x.line) }),
              el('td', { text: x.action ?? '' }),
              el('td', { text: x.reason ?? '' }),
            )),
        ),
      ),
    ),
  );
}

function updateFilesSummary() {
  const done = state.files.filter((f) => f.status === 'done');
  const failed = state.files.filter((f) => f.status === 'error');
  const cancelled = state.files.filter((f) => f.status === 'cancelled');
  const busy = state.files.filter((f) => f.status === 'waiting' || f.status === 'reading');
  ui.clearButton.disabled = state.files.length === 0 && !state.files.some((f) => f.stored);
  ui.cancelButton.hidden = !busy.some((f) => f.path !== 'restored');
  const loading = busy.length ? 'true' : 'false';
  // When the last file was read, in the page's clock (for the benchmark).
  if (loading === 'false' && document.body.dataset.loading === 'true') document.body.dataset.loadedAt = String(Math.round(performance.now()));
  document.body.dataset.loading = loading;
  renderStorageStatus();
  if (!state.files.length) {
    ui.filesSummary.textContent = '';
    return;
  }
  const quarters = done.map((f) => f.summary && f.summary.quarter).filter(Boolean).sort();
  const parts = [];
  if (done.length || !busy.length) parts.push(`${done.length} file${done.length === 1 ? '' : 's'} loaded`);
  if (quarters.length) parts.push(quarters.length > 1 ? `${quarters[0]} to ${quarters[quarters.length - 1]}` : quarters[0]);
  if (failed.length) parts.push(`${failed.length} could not be read`);
  if (cancelled.length) parts.push(`${cancelled.length} cancelled`);
  if (busy.length) parts.push(`reading ${busy.length} more…`.replace(' more', done.length ? ' more' : ''));
  ui.filesSummary.textContent = `${parts.join(' · ')}.`;
}

/** When the page was given files, in its clock (for the benchmark: "drop to table"). */
function filesGiven() {
  document.body.dataset.filesAt = String(Math.round(performance.now()));
}

ui.fileInput.addEventListener('change', () => {
  filesGiven();
  const files = [...ui.fileInput.files];
  ui.fileInput.value = '';
  if (files.length) addFiles(files.map((file) => ({ name: file.name, blob: file })));
});

// Drag and drop: files, or folders of zips.
let dragDepth = 0;
ui.drop.addEventListener('dragenter', (e) => {
  e.preventDefault();
  dragDepth += 1;
  ui.drop.classList.add('dragging');
});
ui.drop.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (!dragDepth) ui.drop.classList.remove('dragging');
});
ui.drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
});
ui.drop.addEventListener('drop', async (e) => {
  e.preventDefault();
  filesGiven();
  dragDepth = 0;
  ui.drop.classList.remove('dragging');
  const files = await droppedFiles(e.dataTransfer);
  if (files.length) addFiles(files.map((file) => ({ name: file.name, blob: file })));
});
// A file dropped beside the zone must not make the browser navigate away from the page.
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => e.preventDefault());

async function droppedFiles(dt) {
  if (!dt) return [];
  const entries = [...(dt.items || [])]
    .map((item) => (item.kind === 'file' && item.webkitGetAsEntry ? item.webkitGetAsEntry() : null))
    .filter(Boolean);
  if (!entries.length || !entries.some((x) => x.isDirectory)) return [...dt.files];
  const out = [];
  const walk = async (entry) => {
    if (entry.isFile) {
      const file = await new Promise((res, rej) => entry.file(res, rej));
      // Inside folders take zips only; a single dropped file is always offered to the engine.
      if (/\.zip$/i.test(file.name)) out.push(file);
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const entry of entries) {
    if (entry.isFile) out.push(await new Promise((res, rej) => entry.file(res, rej)));
    else await walk(entry);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

// ---------------------------------------------------------------- demo

/** A file of the bundled demo (web/demo/), by name. */
function demoUrl(name) {
  return new URL(name, new URL('web/demo/', document.baseURI));
}

/** The bundled demo's manifest; throws, in words, when the build has none. */
async function demoManifest() {
  const res = await fetch(demoUrl('manifest.json'));
  if (!res.ok) throw new Error(`web/demo/manifest.json: HTTP ${res.status}. The demo data is not part of this build.`);
  return res.json();
}

/** One file of the bundled demo, as a Blob. */
async function demoFile(name) {
  const res = await fetch(demoUrl(encodeURIComponent(name)));
  if (!res.ok) throw new Error(`web/demo/${name}: HTTP ${res.status}`);
  return res.blob();
}

ui.demoButton.addEventListener('click', async () => {
  hideAlert(ui.queryAlert);
  ui.demoButton.disabled = true;
  const label = ui.demoButton.textContent;
  ui.demoButton.textContent = 'Fetching demo…';
  try {
    const manifest = await demoManifest();
    state.demoManifest = manifest;
    if (manifest.synthetic) {
      ui.demoDescription.textContent = manifest.description || 'Synthetic FAERS-like files made for demonstration; they are not real reports.';
      ui.demoNote.hidden = false;
    }
    const items = [];
    for (const file of manifest.files || []) {
      items.push({ name: file.name, blob: await demoFile(file.name), synthetic: manifest.synthetic !== false });
    }
    if (!items.length) throw new Error('web/demo/manifest.json lists no files.');
    await addFiles(items);
  } catch (err) {
    showAlert(ui.queryAlert, `Could not load the demo data: ${err.message}`);
  } finally {
    ui.demoButton.disabled = false;
    ui.demoButton.textContent = label;
  }
});

// ---------------------------------------------------------------- forget

ui.clearButton.addEventListener('click', async () => {
  ui.clearButton.disabled = true;
  // Stop the files still waiting or being read by a reader; a file the analysis worker is adding finishes first.
  for (const f of state.files) if (f.status === 'waiting') f.status = 'cancelled';
  loader.cancel();
  state.storageGeneration += 1;
  try {
    if (state.loading) await state.loading;
    await loader.settled();
    await core.clear();
  } catch (err) {
    showAlert(ui.queryAlert, `Could not forget the loaded data: ${err.message}`);
    return;
  }
  // The browser's copy goes too (after any write still under way: the store runs one request at a time).
  state.storageGeneration += 1;
  try {
    await store.clearAll();
  } catch (err) {
    if (!state.storageRefused) storageRefused(err);
  }
  ui.loadNote.textContent = '';
  state.files = [];
  ui.fileList.replaceChildren();
  ui.demoNote.hidden = true;
  state.result = null;
  state.resultOptions = null;
  state.exports = null;
  state.caseRequest = null;
  state.sensitivity = null;
  ui.caseResult.replaceChildren();
  ui.sensResult.hidden = true;
  ui.sensStatus.textContent = '';
  ui.results.hidden = true;
  document.body.dataset.result = 'none';
  document.body.dataset.table = 'none';
  ui.runStatus.textContent = 'Loaded data forgotten.';
  updateFilesSummary();
});

// ---------------------------------------------------------------- run

async function run() {
  if (state.running) {
    state.rerun = true;
    return;
  }
  hideAlert(ui.queryAlert);
  writeUrlState();
  const options = currentOptions();
  if (!options.drugs.length) {
    showAlert(ui.queryAlert, 'Enter at least one drug name (generic or brand), for example “inotuzumab”.');
    ui.termInput.focus();
    return;
  }
  if (!state.files.some((f) => !['error', 'cancelled'].includes(f.status))) {
    showAlert(ui.queryAlert, 'No data loaded yet: add FAERS quarterly zips above, or try the demo data.');
    return;
  }
  state.running = true;
  // When the query was asked for, in the page's clock (for the benchmark).
  document.body.dataset.runAt = String(Math.round(performance.now()));
  ui.runButton.disabled = true;
  document.body.dataset.busy = 'true';
  try {
    if (state.loading) {
      ui.runStatus.textContent = 'Waiting for the files to finish reading…';
      await state.loading;
    }
    ui.runStatus.textContent = 'Analysing…';
    const synthetic = state.files.some((f) => f.status === 'done' && f.synthetic);
    const t0 = performance.now();
    const result = await core.analyze(options);
    const seconds = (performance.now() - t0) / 1000;
    // The figures and files of this analysis (the worker keeps the last one; requests run in
    // order): made in the worker while the table is drawn here, shown once it is painted; once
    // the files added before their hash have it (the files list their SHA-256).
    let exportsError = null;
    const files = loader.hashesGiven().then(() => core.exports()).catch((err) => {
      exportsError = err.message;
      return null;
    });
    state.result = result;
    state.resultOptions = options;
    state.resultSynthetic = synthetic;
    state.exports = null; // made below, once the table is on screen
    state.exportsError = null;
    const wasHidden = ui.results.hidden;
    const drawRest = renderResult();
    const signals = Array.isArray(result.signals) ? result.signals : [];
    const nSignals = signals.filter((r) => r.signal).length;
    ui.runStatus.textContent = `Done in ${fmtDuration(seconds)}: ${fmtInt(signals.length)} preferred terms, ${fmtInt(nSignals)} signal${nSignals === 1 ? '' : 's'}.`;
    await nextPaint();
    // When the table was on screen, in the page's clock (for the benchmark).
    document.body.dataset.tableAt = String(Math.round(performance.now()));
    document.body.dataset.table = 'ready';
    // Scrolled to once painted: scrolling first would lay the page out once more before it.
    if (wasHidden) ui.results.scrollIntoView({ behavior: 'smooth', block: 'start' });
    drawRest();
    await nextPaint();
    const made = await files;
    state.exports = Array.isArray(made) ? made : null;
    state.exportsError = exportsError;
    renderFiles(result);
    document.body.dataset.result = 'ready';
  } catch (err) {
    ui.runStatus.textContent = '';
    showAlert(ui.queryAlert, err.message);
  } finally {
    state.running = false;
    ui.runButton.disabled = false;
    document.body.dataset.busy = 'false';
  }
  if (state.rerun) {
    state.rerun = false;
    await run();
  } else if (state.result) {
    await refreshChecks();
  }
}

// ---------------------------------------------------------------- results

/** Resolves once the browser has painted what was just rendered. */
function nextPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

// The funnel: every number is one of the engine's counts; each step says what it removed and
// which rule was in force (from the result's settings).
const DEDUP_RULES = {
  fda: ['FDA rule: latest FDA_DT, then largest PRIMARYID', 'Per case, the version with the latest FDA_DT is kept (ties: the largest PRIMARYID).'],
  caseversion: ['highest CASEVERSION per case', 'Per case, the version with the highest CASEVERSION is kept (then the latest FDA_DT).'],
  none: ['off: every version kept', 'No deduplication of case versions: every version of a case is analysed.'],
};

function funnelSteps(r) {
  const s = r.settings || {};
  const usable = (Array.isArray(r.inputs) ? r.inputs : []).filter((i) => !i.error);
  const cov = r.coverage && r.coverage.first ? r.coverage : null;
  const span = cov ? (cov.first === cov.last ? cov.first : `${cov.first} to ${cov.last}`) : '';
  const roles = Array.isArray(s.roles) && s.roles.length ? s.roles.join(' or ') : 'a chosen role';
  const dedupRule = DEDUP_RULES[s.dedup] || [settingText(s.dedup), ''];
  return [
    {
      key: 'demo_rows', label: 'DEMO rows',
      rule: `${usable.length} file${usable.length === 1 ? '' : 's'}${span ? `, ${span}` : ''}`,
      title: 'Rows of the DEMO table read from every loaded file.',
    },
    {
      key: 'distinct_reports', label: 'Distinct reports',
      rule: 'each PRIMARYID once',
      title: 'A report (PRIMARYID) published again in a later quarter counts once: the later copy is used.',
    },
    {
      key: 'deleted_removed', label: 'Deleted cases', removes: true, off: s.deleted === 'ignore',
      rule: s.deleted === 'ignore' ? 'off: lists ignored' : 'on FDA’s deleted-case lists',
      title: s.deleted === 'ignore'
        ? 'FDA’s deleted-case lists are ignored (a query option).'
        : 'Reports of cases on any loaded quarter’s deleted-case list are removed, in every quarter.',
    },
    {
      key: 'superseded_removed', label: 'Superseded versions', removes: true, off: s.dedup === 'none',
      rule: dedupRule[0],
      title: dedupRule[1],
    },
    {
      key: 'rule_duplicates_removed', label: 'Rule-based duplicates', removes: true, off: !s.rule_dedup,
      rule: s.rule_dedup ? 'same event date, age, sex, country, drugs, PTs' : 'off: a query option',
      title: s.rule_dedup
        ? 'Reports of different cases with the same event date, age, sex, reporter country, drug names and PTs count once (empty values never match); the latest is kept.'
        : 'Duplicates across case ids are not looked for. Tick “Rule-based duplicates” in the query to remove them.',
    },
    {
      key: 'reports', label: 'Reports analysed', total: true,
      rule: 'N of the 2×2 tables',
      title: 'The deduplicated reports: the population of every 2×2 table.',
    },
    {
      key: 'target_reports', label: 'Target reports', target: true,
      rule: `naming the drug as ${roles}`,
      title: 'Analysed reports with a drug of a chosen role that matches a term.',
      extra: [
        ['target_pairs', 'report–PT pairs'],
        ...(s.unit === 'pairs' ? [['pairs', 'pairs in all reports']] : []),
      ],
    },
  ];
}

function renderFunnel(r) {
  const counts = r.counts || {};
  const steps = funnelSteps(r).filter((st) => st.key in counts);
  const funnel = el('ol', { class: 'funnel', 'aria-label': 'Deduplication funnel' });
  for (const st of steps) {
    const none = st.removes && !counts[st.key]; // nothing removed: no minus sign
    const cls = ['funnel-step', st.removes ? 'is-removal' : '', none ? 'is-none' : '', st.off ? 'is-off' : '', st.total ? 'is-total' : '', st.target ? 'is-target' : '']
      .filter(Boolean).join(' ');
    funnel.append(
      el(
        'li',
        { class: cls, title: st.title, dataset: { count: st.key } },
        el(
          'dl',
          { class: 'funnel-main' },
          el('dt', {}, st.label, st.off ? el('span', { class: 'off-tag', text: 'off' }) : null),
          el('dd', { class: 'funnel-n', text: fmtInt(counts[st.key]) }),
        ),
        el('p', { class: 'funnel-rule', text: st.rule }),
        ...(st.extra || []).filter(([k]) => k in counts).map(([k, label]) =>
          el('dl', { class: 'funnel-extra', dataset: { count: k } }, el('dd', { text: fmtInt(counts[k]) }), el('dt', { text: label }))),
      ),
    );
  }
  ui.summary.replaceChildren(funnel);
}

const SETTING_LABELS = {
  drugs: 'Drug terms', drug_terms: 'Terms as matched', match: 'Match', match_fields: 'Fields searched', roles: 'Roles',
  unit: 'Counting unit', dedup: 'Deduplication', deleted: 'Deleted-case lists', rule_dedup: 'Rule-based duplicates removed',
  exclude: 'Excluded spellings', population: 'Population (N)',
  z: 'z of the 95% intervals', zero_cells: 'Zero cells', signal_rule: 'Signal rule', tool: 'Tool', version: 'Engine version',
  criterion: 'Criterion', adjust: 'Multiplicity adjustment', ic: 'IC bounds', ebgm: 'EBGM', ebgm_likelihood: 'EBGM likelihood', meddra: 'MedDRA',
  listing: 'Case listing', onset: 'Time to onset', label_overrides: 'Your listedness calls',
};
// Settings said in words rather than as their raw value.
const SETTING_WORDS = {
  listing: (v, r) => r.listing?.filter || settingText(v),
  onset: (v) => CONVENTIONS[v] || String(v),
  label_overrides: (v) => (v && Object.keys(v).length ? Object.entries(v).map(([pt, call]) => `${pt}: ${call}`).join('; ') : 'none'),
};
// Shown as pills; every other setting goes under "Conventions".
const MAIN_SETTINGS = ['drugs', 'match', 'roles', 'unit', 'dedup', 'deleted', 'rule_dedup', 'exclude'];

function renderResult() {
  const r = state.result;
  ui.results.hidden = false;
  ui.staleNote.hidden = true;
  ui.resultSynthetic.hidden = !state.resultSynthetic;

  renderSuggestions(r);
  renderFunnel(r);

  // Settings in force, as the engine recorded them.
  const settings = r.settings && typeof r.settings === 'object' ? r.settings : {};
  const pill = (label, value) => el('dl', { class: 'setting' }, el('dt', { text: label }), el('dd', { text: value }));
  const pills = [];
  for (const k of MAIN_SETTINGS) {
    if (!(k in settings)) continue;
    if (k === 'exclude' && !(Array.isArray(settings.exclude) && settings.exclude.length)) continue;
    let text = settingText(settings[k]);
    if (k === 'match' && Array.isArray(settings.match_fields)) text = `${text} (${settings.match_fields.join(', ')})`;
    pills.push(pill(SETTING_LABELS[k], text || DASH));
  }
  const inputs = Array.isArray(r.inputs) ? r.inputs : [];
  const usable = inputs.filter((i) => !i.error);
  if (inputs.length) {
    const quarters = usable.map((i) => i.quarter || i.name).filter(Boolean);
    pills.push(pill('Data', `${usable.length} file${usable.length === 1 ? '' : 's'}${quarters.length ? `: ${quarters.join(', ')}` : ''}`));
  }
  const conventions = Object.entries(settings).filter(([k, v]) => !MAIN_SETTINGS.includes(k) && k !== 'match_fields' && v !== null && v !== undefined);
  const conv = conventions.length
    ? el(
      'details',
      { class: 'conventions' },
      el('summary', { text: 'Conventions' }),
      el('dl', { class: 'kv' }, conventions.map(([k, v]) => [el('dt', { text: SETTING_LABELS[k] || k.replace(/_/g, ' ') }), el('dd', { text: SETTING_WORDS[k] ? SETTING_WORDS[k](v, r) : settingText(v) })])),
    )
    : null;
  ui.settings.replaceChildren(...pills, ...(conv ? [conv] : []));
  ui.signalRule.textContent = 'The signal rule and the conventions are stated above the table.';
  renderCaption(r);
  renderEbgmFit(r.ebgm_fit || null);
  renderBySoc(r);
  renderColumnsMenu();

  // Warnings.
  // A term that matched nothing is shown with its suggestions above; its warning says the same.
  const suggested = (Array.isArray(r.suggestions) ? r.suggestions : []).filter((x) => x.suggestions?.length);
  const warnings = (Array.isArray(r.warnings) ? r.warnings : [])
    .filter((w) => !suggested.some((x) => String(w).startsWith(`'${x.term}' matches no drug name`)));
  ui.resultWarnings.replaceChildren();
  if (warnings.length) {
    const list = el('ul', {}, warnings.map((w) => el('li', { text: String(w) })));
    ui.resultWarnings.append(
      el(
        'details',
        { class: 'notice', open: warnings.length <= 3 },
        el('summary', { text: `${warnings.length} warning${warnings.length === 1 ? '' : 's'} from the analysis` }),
        list,
      ),
    );
  }

  renderMatched(r);
  renderDescriptive(ui.descriptive, r);
  renderLabelState(r);
  renderFiles(r);
  // The rows that fill the table's box are drawn now; the rest, and the case listing below the
  // table (~20 ms for a full quarter), once that is painted.
  const restOfTable = renderTable({ firstRows: FIRST_ROWS });
  return () => {
    restOfTable();
    renderListing(ui.listing, r.listing);
  };
}

/** Rows of the signal table drawn before the first paint of a result: enough to fill its box (at
 * most 760 px high, rows of 24 px or more); the rest follow. */
const FIRST_ROWS = 32;

/** The exported files of the shown result: the time-to-onset figure, figures, listing, exports. */
function exportFile(name) {
  return (state.exports || []).find((f) => f.name === name) || null;
}

/** What is drawn from the exported files: the time-to-onset figure, the figures, the downloads. */
function renderFiles(r) {
  const tto = exportFile('time_to_onset.svg');
  renderOnset(ui.onsetBody, r.descriptive?.time_to_onset, r.descriptive?.cases ?? r.counts?.target_reports, tto ? svgNode(tto.content) : null);
  hideAlert(ui.figuresAlert);
  hideAlert(ui.exportsAlert);
  if (state.exportsError) {
    showAlert(ui.exportsAlert, `The files of this analysis could not be made: ${state.exportsError}`);
    showAlert(ui.figuresAlert, `The figures could not be made: ${state.exportsError}`);
  }
  if (state.exports || state.exportsError) {
    renderFigures(ui.figuresBody, state.exports || [], {
      meddra: hasMeddra(r),
      onError: (message) => showAlert(ui.figuresAlert, message),
    });
    renderExports(ui.exports, state.exports || []);
  } else {
    ui.figuresBody.replaceChildren(el('p', { class: 'muted', text: 'Drawing the figures…' }));
    renderExports(ui.exports, []);
  }
  ui.downloadJson.disabled = !exportFile('result.json');
}

// ---------------------------------------------------------------- did you mean

function renderSuggestions(r) {
  const list = Array.isArray(r.suggestions) ? r.suggestions : [];
  ui.suggestions.hidden = list.length === 0;
  ui.suggestions.replaceChildren(
    ...list.map((x) =>
      el(
        'p',
        { class: 'suggestion', dataset: { term: x.term } },
        'No drug name matches ',
        el('strong', { text: `‘${x.term}’` }),
        x.suggestions?.length ? ' — did you mean: ' : ', and no close spelling was found in the loaded data.',
        ...(x.suggestions || []).map((name, i) => [
          i ? ' ' : null,
          el('button', {
            type: 'button',
            class: 'button suggestion-pick',
            text: name,
            title: `Search for ${name} instead of ${x.term}`,
            onclick: () => replaceTerm(x.term, name),
          }),
        ]),
      )),
  );
}

/** Replaces the term the engine reported (normalised) by a suggested spelling, and runs. */
function replaceTerm(term, replacement) {
  const i = state.terms.findIndex((t) => normName(t) === normName(term));
  const terms = [...state.terms];
  if (i >= 0) terms.splice(i, 1);
  const at = i >= 0 ? i : terms.length;
  if (!terms.some((t) => normName(t) === normName(replacement))) terms.splice(at, 0, replacement);
  state.terms = terms;
  renderChips();
  writeUrlState();
  run();
}

// ---------------------------------------------------------------- matched spellings

function renderMatched(r) {
  const matched = Array.isArray(r.matched_names) ? r.matched_names : [];
  const excluded = Array.isArray(r.settings?.exclude) ? r.settings.exclude : [];
  const box = (name, checked) =>
    el('input', {
      type: 'checkbox',
      checked,
      'aria-label': `${checked ? 'Included' : 'Excluded'}: ${name}`,
      title: checked ? 'Untick to leave this spelling out' : 'Tick to include this spelling again',
      dataset: { name },
      onchange: (e) => setExcluded(name, !e.target.checked),
    });
  const rows = matched.map((m) =>
    el(
      'tr',
      { dataset: { name: m.name, field: m.field || '' } },
      el('td', { class: 'col-use' }, box(m.name, true)),
      el('td', {}, el('span', { class: 'matched-name', text: m.name }), m.field ? el('span', { class: 'field-tag', text: m.field === 'prod_ai' ? 'active ingredient' : 'drug name' }) : null),
      el('td', { class: 'num', text: fmtInt(m.reports) }),
    ));
  for (const name of [...excluded].reverse()) {
    rows.unshift(
      el(
        'tr',
        { class: 'is-excluded', dataset: { name, excluded: 'true' } },
        el('td', { class: 'col-use' }, box(name, false)),
        el('td', {}, el('span', { class: 'matched-name', text: name })),
        el('td', { class: 'num muted', text: 'excluded' }),
      ),
    );
  }
  if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 3, class: 'muted', text: 'No drug name matched the terms.' })));
  ui.matchedBody.replaceChildren(...rows);

  ui.excludedNote.hidden = excluded.length === 0;
  ui.excludedNote.replaceChildren(
    `${excluded.length} spelling${excluded.length === 1 ? '' : 's'} left out of this analysis. `,
    el('button', {
      type: 'button',
      class: 'link-button',
      text: excluded.length === 1 ? 'Include it again' : 'Include them all again',
      onclick: () => {
        state.exclude = [];
        writeUrlState();
        run();
      },
    }),
  );
}

function setExcluded(name, excluded) {
  const rest = state.exclude.filter((x) => normName(x) !== normName(name));
  state.exclude = excluded ? [...rest, name] : rest;
  writeUrlState();
  run();
}

function settingText(v) {
  if (Array.isArray(v)) return v.map(settingText).join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v && typeof v === 'object') {
    return Object.entries(v).map(([k, x]) => `${k}: ${settingText(x)}`).join('; ');
  }
  return String(v);
}

// ---------------------------------------------------------------- signal table

function filteredRows() {
  const rows = Array.isArray(state.result?.signals) ? state.result.signals : [];
  const q = state.filter.trim().toLowerCase();
  const newOnly = state.newOnly && hasLabel();
  return rows.filter((r) => (!state.signalsOnly || r.signal) && (!newOnly || isNewSignal(r)) && (!q || String(r.pt).toLowerCase().includes(q)));
}

// Columns. ROR with its CI, a, b, c, d and the signal are always shown; the groups below can be
// shown or hidden from the "Columns" menu (remembered in the URL as cols=...).
const num = (key, label, title, fmt = (r) => fmtDec2(r[key])) => ({ key, label, title, cls: 'num', cell: fmt });
const ebgmCell = (k) => (r) => fmtDec2(r.ebgm && typeof r.ebgm === 'object' ? r.ebgm[k] : null);
const COLUMN_GROUPS = [
  { id: 'pt_code', label: 'PT code', meddra: true, lead: true,
    cols: [{ key: 'pt_code', label: 'PT code', title: 'MedDRA preferred-term code (from your MedDRA files)', cls: 'num code', cell: (r) => (r.pt_code ?? DASH) }] },
  { id: 'soc', label: 'SOC (primary)', meddra: true, lead: true,
    cols: [{ key: 'soc', label: 'SOC', title: 'Primary System Organ Class (from your MedDRA files)', cls: 'col-soc', cell: (r) => r.soc ?? DASH }] },
  { id: 'prr', label: 'PRR with 95% CI',
    cols: [num('prr', 'PRR', 'Proportional reporting ratio'),
      { key: 'prr_ci', label: 'PRR CI', title: '95% confidence interval of the PRR (sorts by the lower bound)', cls: 'num ci', cell: (r) => fmtCI(r.prr_lower, r.prr_upper) }] },
  { id: 'chi2', label: 'χ² (Pearson)', cols: [num('chi2', 'χ²', 'Pearson’s χ² (1 degree of freedom)')] },
  { id: 'chi2_yates', label: 'χ² (Yates)', cols: [num('chi2_yates', 'χ² Yates', 'Yates-corrected χ²')] },
  { id: 'ic', label: 'IC with IC025 and IC975',
    cols: [num('ic', 'IC', 'Information component (Norén shrinkage)'), num('ic025', 'IC025', 'Lower 95% bound of the IC'), num('ic975', 'IC975', 'Upper 95% bound of the IC')] },
  { id: 'bcpnn', label: 'BCPNN with lower bound',
    cols: [num('bcpnn', 'BCPNN', 'BCPNN expected IC (Gould’s exact moments)'), num('bcpnn_lower', 'BCPNN LB', 'BCPNN lower bound: E[IC] − 1.96·SD')] },
  { id: 'cmle', label: 'Conditional MLE OR with exact CI',
    cols: [num('ror_cmle', 'ROR cMLE', 'Conditional maximum-likelihood odds ratio (R fisher.test, DiAna)'),
      { key: 'ror_cmle_lower', label: 'Exact CI', title: 'Fisher’s exact 95% interval of the conditional MLE (sorts by the lower bound)', cls: 'num ci', cell: (r) => fmtCI(r.ror_cmle_lower, r.ror_cmle_upper) }] },
  { id: 'p', label: 'p and adjusted p',
    cols: [num('p_value', 'p', 'Two-sided p of the ROR’s Wald test', (r) => fmtP(r.p_value)), num('p_adjusted', 'adj. p', 'p adjusted for the number of PTs tested (see the caption)', (r) => fmtP(r.p_adjusted))] },
  { id: 'ebgm', label: 'EBGM with EB05 and EB95', ebgm: true,
    cols: [num('ebgm', 'EBGM', 'Empirical Bayes geometric mean', ebgmCell('ebgm')), num('eb05', 'EB05', '5% quantile of the posterior', ebgmCell('eb05')), num('eb95', 'EB95', '95% quantile of the posterior', ebgmCell('eb95'))] },
  { id: 'listed', label: 'Listed in the label', needsLabel: true, tail: true,
    cols: [{ key: 'listed', label: 'Listed', title: 'Where the drug’s label states the PT (boxed warning, warnings and precautions, adverse reactions), or “not listed”; the select overrules it', cls: 'col-listed',
      cell: (r) => listedCell(r, state.overrides[normName(r.pt)], setOverride) }] },
];
const DEFAULT_COLUMNS = ['pt_code', 'soc', 'prr', 'ic', 'listed'];

function hasMeddra(result = state.result) {
  return Boolean(result && Array.isArray(result.by_soc));
}

/** The shown result was checked against a drug label. */
function hasLabel(result = state.result) {
  return Boolean(result && result.label);
}

/** A signal the label does not list (after the reviewer's calls). */
function isNewSignal(r) {
  return r.signal === true && r.listed === 'not listed';
}

/** The optional columns shown for the current result (MedDRA columns only with MedDRA, Listed only with a label). */
function shownGroups() {
  return COLUMN_GROUPS.filter((g) => state.columns.includes(g.id) && (!g.meddra || hasMeddra()) && (!g.needsLabel || hasLabel()));
}

function tableColumns() {
  const groups = shownGroups();
  const lead = groups.filter((g) => g.lead).flatMap((g) => g.cols);
  const measures = groups.filter((g) => !g.lead && !g.tail).flatMap((g) => g.cols);
  const tail = groups.filter((g) => g.tail).flatMap((g) => g.cols);
  return [
    { key: 'pt', label: 'Preferred term', cls: 'col-pt', head: true, cell: (r) => r.pt },
    ...lead,
    { key: 'a', label: 'a', title: 'Target reports with the PT', cls: 'num', cell: (r) => fmtInt(r.a) },
    { key: 'b', label: 'b', title: 'Target reports without the PT', cls: 'num', cell: (r) => fmtInt(r.b) },
    { key: 'c', label: 'c', title: 'Other reports with the PT', cls: 'num', cell: (r) => fmtInt(r.c) },
    { key: 'd', label: 'd', title: 'Other reports without the PT', cls: 'num', cell: (r) => fmtInt(r.d) },
    { key: 'ror', label: 'ROR', title: 'Reporting odds ratio', cls: 'num strong', cell: (r) => fmtDec2(r.ror) },
    { key: 'ci', label: '95% CI', title: '95% confidence interval of the ROR (sorts by the lower bound)', cls: 'num ci', cell: (r) => fmtCI(r.ror_lower, r.ror_upper) },
    { key: null, forest: true, cls: 'col-forest', cell: (r) => forestRow(r) },
    ...measures,
    { key: 'signal', label: 'Signal', cls: 'col-signal', cell: signalCell },
    ...tail,
  ];
}

function signalCell(r) {
  return r.signal === true
    ? el('span', { class: 'sig sig-yes' }, el('span', { class: 'sig-dot', 'aria-hidden': 'true' }), 'yes')
    : r.signal === false
      ? el('span', { class: 'sig sig-no', text: 'no' })
      : DASH;
}

function renderHead(columns) {
  const tr = el('tr');
  for (const c of columns) {
    if (c.forest) {
      tr.append(el('th', {
        scope: 'col', class: 'col-forest',
        title: 'ROR (dot) and its 95% CI (line) on a log scale from 0.1 to 1000 (1k); the darker line is ROR = 1; a hollow dot lies beyond the scale',
      }, el('span', { class: 'visually-hidden', text: 'ROR and 95% CI on a log scale' }), el('span', { class: 'forest-head', 'aria-hidden': 'true' }, forestAxis())));
      continue;
    }
    const active = c.key === state.sort.key;
    tr.append(el(
      'th',
      {
        scope: 'col', class: `${c.cls || ''}${active ? ' sorted' : ''}`.trim(), dataset: { key: c.key },
        'aria-sort': active ? (state.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none',
      },
      el('button', { type: 'button', title: c.title || null, text: c.label, onclick: () => sortBy(c.key) }),
    ));
  }
  ui.table.tHead.replaceChildren(tr);
}

function sortBy(key) {
  if (state.sort.key === key) state.sort = { key, dir: state.sort.dir === 'asc' ? 'desc' : 'asc' };
  else state.sort = { key, dir: firstDir(key) };
  writeUrlState();
  renderTable();
  // Keep the keyboard focus on the header that was used.
  $(`thead th[data-key="${key}"] button`, ui.table)?.focus();
}

function renderRow(r, columns) {
  return el(
    'tr',
    { class: r.signal ? 'is-signal' : '', dataset: { pt: r.pt } },
    columns.map((c) => {
      if (c.forest) return el('td', { class: 'col-forest' }, c.cell(r));
      const v = c.cell(r);
      const props = { class: c.cls || null, dataset: { col: c.key } };
      if (c.head) return el('th', { scope: 'row', ...props, text: v });
      return v instanceof Node ? el('td', props, v) : el('td', { ...props, text: String(v) });
    }),
  );
}

/** Rows under headings of their primary SOC, in the order of the engine's per-SOC table. */
function groupedBySoc(rows) {
  const order = (state.result.by_soc || []).map((x) => x.soc);
  const groups = new Map(order.map((soc) => [soc, []]));
  const none = [];
  for (const r of rows) {
    if (r.soc && groups.has(r.soc)) groups.get(r.soc).push(r);
    else if (r.soc) groups.set(r.soc, [r]);
    else none.push(r);
  }
  const out = [...groups].filter(([, list]) => list.length).map(([soc, list]) => ({ soc, rows: list }));
  if (none.length) out.push({ soc: null, rows: none });
  return out;
}

/**
 * Renders the signal table. With `firstRows`, only that many rows are drawn now and a function
 * is returned that draws the rest (the page paints the top of the table first; a later
 * renderTable makes the function do nothing).
 */
function renderTable({ firstRows = Infinity } = {}) {
  if (!state.result) return () => {};
  const all = Array.isArray(state.result.signals) ? state.result.signals : [];
  const rows = sortRows(filteredRows(), state.sort.key, state.sort.dir);
  const columns = tableColumns();
  const grouped = state.groupSoc && hasMeddra();
  renderHead(columns);

  // The table's rows in order, each made when drawn.
  const makers = [];
  if (grouped) {
    const socInfo = new Map((state.result.by_soc || []).map((x) => [x.soc, x]));
    const out = [];
    for (const g of groupedBySoc(rows)) {
      const info = g.soc ? socInfo.get(g.soc) : null;
      const nSig = g.rows.filter((r) => r.signal).length;
      makers.push(() => el(
        'tr',
        { class: 'soc-row', dataset: { soc: g.soc ?? '' } },
        el('th', { scope: 'colgroup', colspan: columns.length }, el(
          'span',
          { class: 'soc-head' },
          el('span', { class: 'soc-name', text: g.soc ?? 'Not found in your MedDRA release' }),
          info?.soc_code ? el('span', { class: 'soc-code', text: String(info.soc_code) }) : null,
          el('span', { class: 'soc-count', text: `${fmtInt(g.rows.length)} PT${g.rows.length === 1 ? '' : 's'} shown · ${fmtInt(nSig)} signal${nSig === 1 ? '' : 's'}` }),
        )),
      ));
      for (const r of g.rows) makers.push(() => renderRow(r, columns));
      out.push(...g.rows);
    }
    state.visibleRows = out;
  } else {
    for (const r of rows) makers.push(() => renderRow(r, columns));
    state.visibleRows = rows;
  }
  const draw = (from, to) => {
    const frag = document.createDocumentFragment();
    for (let i = from; i < Math.min(to, makers.length); i++) frag.append(makers[i]());
    return frag;
  };
  const token = (state.tableToken = (state.tableToken || 0) + 1);
  // A new body rather than emptying the old one: removing the last result's rows one by one
  // took ~10 ms of a query.
  const body = ui.tableBody.cloneNode(false);
  body.append(draw(0, firstRows));
  ui.tableBody.replaceWith(body);
  ui.tableBody = body;
  const rest = () => {
    if (state.tableToken !== token || firstRows >= makers.length) return;
    ui.tableBody.append(draw(firstRows, makers.length));
    focusOverride(true);
  };
  ui.tableEmpty.hidden = rows.length > 0 || all.length === 0;
  if (!all.length) {
    ui.tableBody.append(el('tr', {}, el('td', { colspan: columns.length, class: 'muted empty-row', text: 'No target report has a preferred term: nothing to test.' })));
  }

  const nSignals = all.filter((r) => r.signal).length;
  const shownSignals = rows.filter((r) => r.signal).length;
  ui.rowCount.textContent = rows.length === all.length
    ? `${fmtInt(all.length)} preferred terms · ${fmtInt(nSignals)} signal${nSignals === 1 ? '' : 's'}`
    : `Showing ${fmtInt(rows.length)} of ${fmtInt(all.length)} preferred terms · ${fmtInt(shownSignals)} of ${fmtInt(nSignals)} signals`;
  ui.downloadCsv.textContent = `Table as shown (CSV, ${fmtInt(rows.length)} row${rows.length === 1 ? '' : 's'})`;
  focusOverride(firstRows >= makers.length);
  return rest;
}

/**
 * Gives the focus back to the override select the reviewer last used, once its row is drawn
 * (`allDrawn`: every row is, so a row not found is not coming).
 */
function focusOverride(allDrawn) {
  const pt = state.focusOverride;
  const select = pt && [...ui.tableBody.querySelectorAll('select.listed-override')].find((x) => x.dataset.pt === pt);
  if (select || allDrawn) state.focusOverride = null;
  select?.focus();
}

function renderColumnsMenu() {
  const meddra = hasMeddra();
  const label = hasLabel();
  const ebgm = Boolean(state.result?.ebgm_fit);
  ui.columnsList.replaceChildren(
    ...COLUMN_GROUPS.map((g) => {
      const off = (g.meddra && !meddra) || (g.needsLabel && !label);
      const note = off
        ? (g.needsLabel ? 'needs the drug’s label (step 1)' : 'needs your MedDRA files')
        : g.ebgm && state.result && !ebgm
          ? 'not computed: tick “Compute EBGM”'
          : g.id === 'cmle' && state.result && !state.result.settings?.cmle
            ? 'computed when the analysis runs again'
            : null;
      return el(
        'label',
        { class: `column-choice${off ? ' is-off' : ''}`, dataset: { group: g.id } },
        el('input', {
          type: 'checkbox', name: 'column', value: g.id, checked: state.columns.includes(g.id), disabled: off,
          onchange: (e) => {
            const ids = new Set(state.columns);
            if (e.target.checked) ids.add(g.id);
            else ids.delete(g.id);
            state.columns = COLUMN_GROUPS.map((x) => x.id).filter((id) => ids.has(id));
            // A hidden column no longer orders the table.
            if (!e.target.checked && g.cols.some((c) => c.key === state.sort.key)) state.sort = { ...DEFAULT_SORT };
            writeUrlState();
            // The conditional MLE is computed only when shown: the result must be refreshed.
            if (g.id === 'cmle') optionsChanged();
            renderTable();
          },
        }),
        el('span', { text: g.label }),
        note ? el('span', { class: 'sub column-note', text: note }) : null,
      );
    }),
  );
  ui.groupSoc.disabled = !meddra;
  ui.groupSocLabel.title = meddra ? 'Rows under headings of their primary System Organ Class' : 'Needs your MedDRA files (step 1)';
}

ui.filter.addEventListener('input', () => {
  state.filter = ui.filter.value;
  writeUrlState();
  renderTable();
});

ui.signalsOnly.addEventListener('change', () => {
  state.signalsOnly = ui.signalsOnly.checked;
  writeUrlState();
  renderTable();
});

ui.newOnly.addEventListener('change', () => setNewOnly(ui.newOnly.checked));

/** "New signals only": signals the label does not list, strongest (ROR lower bound) first. */
function setNewOnly(on) {
  state.newOnly = on;
  ui.newOnly.checked = on;
  if (on) state.sort = { key: 'ci', dir: 'desc' };
  writeUrlState();
  renderTable();
}

ui.groupSoc.addEventListener('change', () => {
  state.groupSoc = ui.groupSoc.checked;
  writeUrlState();
  renderTable();
});

// Close the Columns menu on Escape or a click elsewhere.
document.addEventListener('click', (e) => {
  if (ui.columnsMenu.open && !ui.columnsMenu.contains(e.target)) ui.columnsMenu.open = false;
});
ui.columnsMenu.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && ui.columnsMenu.open) {
    ui.columnsMenu.open = false;
    $('summary', ui.columnsMenu).focus();
  }
});

// ---------------------------------------------------------------- caption, EBGM fit, SOCs

const CONVENTION_WORDS = {
  z: (v) => `95% intervals with z = ${v === 1.96 || v === '1.96' ? '1.96' : `${v} (Φ⁻¹(0.975))`}`,
  zero_cells: (v) => (v === 'haldane' ? 'zero cells: Haldane +0.5 on all four cells' : 'zero cells: ratio undefined'),
  ic: (v) => (v === 'exact' ? 'IC bounds: exact gamma quantiles' : 'IC bounds: Norén’s closed form'),
  unit: (v) => `counting unit: ${v === 'pairs' ? 'report–PT pairs' : 'reports'}`,
};

/** The signal rule and the conventions, from the result's settings (the request's where the engine echoes none). */
function renderCaption(r) {
  const s = r.settings || {};
  const o = state.resultOptions || {};
  const pick = (k) => (k in s && s[k] !== null && s[k] !== undefined ? s[k] : o[k]);
  const conv = ['z', 'zero_cells', 'ic', 'unit'].filter((k) => pick(k) !== undefined).map((k) => CONVENTION_WORDS[k](pick(k)));
  if (r.ebgm_fit) conv.push(`EBGM: ${r.ebgm_fit.likelihood}`);
  if (s.meddra) conv.push(`MedDRA ${s.meddra}`);
  ui.caption.replaceChildren(
    el('span', { class: 'caption-rule' }, el('strong', { text: 'Signal: ' }), el('span', { id: 'signal-rule-text', text: s.signal_rule || DASH }), '.'),
    conv.length ? el('span', { class: 'caption-conv', text: ` ${conv.join(' · ')}.` }) : null,
  );
}

function renderEbgmFit(fit) {
  ui.ebgmFit.hidden = !fit;
  if (!fit) {
    ui.ebgmFitBody.replaceChildren();
    return;
  }
  const prior = fit.prior;
  const param = (k, label) => el('div', { class: 'param', dataset: { param: k } }, el('dt', { text: label }), el('dd', { text: prior ? fmtSig(prior[k], 5) : DASH }));
  const nodes = [];
  if (!fit.converged) {
    nodes.push(el('p', { class: 'alert alert-warn fit-warning', role: 'note' }, el('strong', { text: 'The fit did not converge. ' }),
      'The prior below is where the optimiser stopped, not a maximum of the likelihood: EBGM, EB05 and EB95 rest on it, so treat them with caution (another likelihood convention, or more data, may fit).'));
  }
  nodes.push(
    el('p', { class: 'help', text: `Likelihood: ${fit.likelihood}.` }),
    el('dl', { class: 'prior' }, param('alpha1', 'α1'), param('beta1', 'β1'), param('alpha2', 'α2'), param('beta2', 'β2'), param('p', 'P')),
    el(
      'dl',
      { class: 'kv fit-kv' },
      el('dt', { text: '−log L' }), el('dd', { dataset: { fit: 'neg_log_likelihood' }, text: fmtSig(fit.neg_log_likelihood, 8) }),
      el('dt', { text: 'Converged' }), el('dd', { dataset: { fit: 'converged' }, class: fit.converged ? 'ok' : 'warn', text: fit.converged ? 'yes' : 'no' }),
      el('dt', { text: 'Iterations' }), el('dd', { dataset: { fit: 'iterations' }, text: fmtInt(fit.iterations) }),
      el('dt', { text: 'Drug–event pairs' }), el('dd', { dataset: { fit: 'pairs' }, text: fmtInt(fit.pairs) }),
      fit.unreported_cells ? [el('dt', { text: 'Unreported cells' }), el('dd', { dataset: { fit: 'unreported_cells' }, text: fmtInt(fit.unreported_cells) })] : null,
      el('dt', { text: 'Reports' }), el('dd', { dataset: { fit: 'reports' }, text: fmtInt(fit.reports) }),
      fit.drug ? [el('dt', { text: 'Drug identified by' }), el('dd', { text: fit.drug })] : null,
      el('dt', { text: 'Stratified' }), el('dd', { text: fit.stratified ? 'yes' : 'no' }),
    ),
  );
  ui.ebgmFit.dataset.converged = String(Boolean(fit.converged));
  ui.ebgmFitBody.replaceChildren(...nodes);
}

function renderBySoc(r) {
  const list = Array.isArray(r.by_soc) ? r.by_soc : null;
  ui.meddraNeeded.hidden = Boolean(list);
  ui.socResult.hidden = !list;
  if (!list) {
    ui.socBody.replaceChildren();
    return;
  }
  ui.socNote.textContent = `By primary SOC, from your MedDRA${r.settings?.meddra ? ` ${r.settings.meddra}` : ''} files: the study’s Table 3. PTs the release does not know are left out (see the warnings).`;
  ui.socBody.replaceChildren(
    ...(list.length ? list.map((x) => el(
      'tr',
      { dataset: { soc: x.soc } },
      el('th', { scope: 'row', dataset: { col: 'soc' }, text: x.soc }),
      el('td', { class: 'num code', dataset: { col: 'soc_code' }, text: x.soc_code ?? DASH }),
      el('td', { class: 'num', dataset: { col: 'pts' }, text: fmtInt(x.pts) }),
      el('td', { class: 'num', dataset: { col: 'signals' }, text: fmtInt(x.signals) }),
      el('td', { class: 'num', dataset: { col: 'events' }, text: fmtInt(x.events) }),
    )) : [el('tr', {}, el('td', { colspan: 5, class: 'muted', text: 'No preferred term of this analysis is in your MedDRA release.' }))]),
  );
}

// ---------------------------------------------------------------- MedDRA (the user's own files)

function renderMeddraStatus() {
  const m = state.meddra;
  ui.meddraRemove.hidden = !m;
  document.body.dataset.meddra = m ? 'loaded' : 'none';
  ui.meddraStatus.replaceChildren(m
    ? el('span', { class: 'meddra-loaded' }, el('strong', { text: `MedDRA ${m.version ?? '(version not stated)'}` }), ` · ${fmtInt(m.pts)} preferred terms loaded`)
    : 'Not loaded.');
}

async function loadMeddra(files) {
  hideAlert(ui.meddraAlert);
  const zips = files.filter((f) => /\.zip$/i.test(f.name));
  const ascs = files.filter((f) => /\.asc$/i.test(f.name));
  if (!zips.length && !ascs.length) {
    showAlert(ui.meddraAlert, 'Choose the MedDRA ASCII release: a zip, or its .asc files (mdhier.asc, pt.asc, llt.asc…).');
    return;
  }
  ui.meddraStatus.textContent = 'Reading MedDRA…';
  document.body.dataset.meddra = 'loading';
  try {
    const value = ascs.length
      ? await core.meddraFiles(ascs.map((f) => f.webkitRelativePath || f.name), ascs)
      : await core.meddraZip(zips[0].name, zips[0]);
    state.meddra = value;
    renderMeddraStatus();
    markStale();
  } catch (err) {
    renderMeddraStatus();
    showAlert(ui.meddraAlert, err.message);
    document.body.dataset.meddra = state.meddra ? 'loaded' : 'failed';
  }
}

for (const input of [ui.meddraInput, ui.meddraFolder]) {
  input.addEventListener('change', () => {
    const files = [...input.files];
    input.value = '';
    if (files.length) loadMeddra(files);
  });
}

ui.meddraRemove.addEventListener('click', async () => {
  hideAlert(ui.meddraAlert);
  try {
    await core.meddraClear();
    state.meddra = null;
    renderMeddraStatus();
    markStale();
  } catch (err) {
    showAlert(ui.meddraAlert, err.message);
  }
});

// ---------------------------------------------------------------- forest column
// A picture of the ROR and its 95% CI on a fixed log axis (0.1 to 1000). Only positions are derived
// from the engine's numbers; values beyond the axis are drawn at its edge.

const SVG_NS = 'http://www.w3.org/2000/svg';
const FOREST = { width: 124, height: 18, pad: 6, min: -1, max: 3 };

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const k in attrs) node.setAttribute(k, String(attrs[k]));
  return node;
}

function forestX(v) {
  const { width, pad, min, max } = FOREST;
  const l = Math.min(max, Math.max(min, Math.log10(v)));
  return pad + ((l - min) / (max - min)) * (width - 2 * pad);
}

/** The forest plot's frame of one height, made once and cloned for each row (a row's frame is
 * six elements and thirty attributes: cloning is several times quicker than making it). */
const forestFrames = new Map();

function forestFrame(height) {
  let frame = forestFrames.get(height);
  if (!frame) {
    frame = svg('svg', { viewBox: `0 0 ${FOREST.width} ${height}`, width: FOREST.width, height, class: 'forest', 'aria-hidden': 'true', focusable: 'false' });
    for (let e = FOREST.min; e <= FOREST.max; e++) {
      const x = forestX(10 ** e);
      frame.append(svg('line', { x1: x, x2: x, y1: 0, y2: height, class: e === 0 ? 'forest-one' : 'forest-grid' }));
    }
    forestFrames.set(height, frame);
  }
  return frame.cloneNode(true);
}

function forestRow(r) {
  const h = FOREST.height;
  const root = forestFrame(h);
  const ok = (v) => typeof v === 'number' && v > 0 && Number.isFinite(v);
  const cls = r.signal ? 'forest-signal' : 'forest-plain';
  if (ok(r.ror_lower) && ok(r.ror_upper)) {
    root.append(svg('line', { x1: forestX(r.ror_lower), x2: forestX(r.ror_upper), y1: h / 2, y2: h / 2, class: `forest-ci ${cls}` }));
  }
  if (ok(r.ror)) {
    const out = r.ror < 10 ** FOREST.min || r.ror > 10 ** FOREST.max;
    root.append(svg('circle', { cx: forestX(r.ror), cy: h / 2, r: 3.2, class: `forest-dot ${cls}${out ? ' forest-out' : ''}` }));
  }
  return root;
}

function forestAxis() {
  const h = 22;
  const root = forestFrame(h);
  for (const g of [...root.querySelectorAll('line')]) g.setAttribute('y1', '14');
  const labels = { '-1': '0.1', 0: '1', 1: '10', 2: '100', 3: '1k' };
  for (let e = FOREST.min; e <= FOREST.max; e++) {
    const anchor = e === FOREST.min ? 'start' : e === FOREST.max ? 'end' : 'middle';
    const x = e === FOREST.min ? 0 : e === FOREST.max ? FOREST.width : forestX(10 ** e);
    const t = svg('text', { x, y: 10, 'text-anchor': anchor, class: 'forest-label' });
    t.textContent = labels[e];
    root.append(t);
  }
  return root;
}


// ---------------------------------------------------------------- case history and sensitivity
// Both use the options of the result shown, so that everything in the results card describes
// the same analysis.

const DEDUP_NAMES = { fda: 'FDA rule', caseversion: 'highest case version', none: 'no version deduplication' };

function dedupDescription(o) {
  return [
    DEDUP_NAMES[o.dedup] || o.dedup,
    o.deleted === 'ignore' ? 'deleted-case lists ignored' : 'deleted-case lists applied',
    o.rule_dedup ? 'rule-based duplicates removed' : 'rule-based duplicates kept',
  ].join(' · ');
}

function dedupOptions(o) {
  return { dedup: o.dedup, deleted: o.deleted, rule_dedup: o.rule_dedup };
}

/** After a new result: the case shown follows the new settings; a comparison of the old result goes. */
async function refreshChecks() {
  if (state.sensitivity) {
    state.sensitivity = null;
    ui.sensResult.hidden = true;
    ui.sensStatus.textContent = 'The analysis changed: compare again to see this one.';
  }
  if (state.caseRequest) await showCase(state.caseRequest.caseid);
}

async function showCase(caseid) {
  const seq = ++state.caseSeq; // only the latest request is shown
  hideAlert(ui.caseAlert);
  const options = dedupOptions(state.resultOptions || currentOptions());
  ui.caseRule.textContent = `Under this analysis’s settings: ${dedupDescription(options)}.`;
  document.body.dataset.case = 'running';
  try {
    const h = await core.caseHistory(caseid, options);
    if (seq !== state.caseSeq) return;
    state.caseRequest = { caseid, options };
    renderCase(h);
    document.body.dataset.case = 'ready';
  } catch (err) {
    if (seq !== state.caseSeq) return;
    state.caseRequest = null;
    ui.caseResult.replaceChildren();
    showAlert(ui.caseAlert, err.message);
    document.body.dataset.case = 'failed';
  }
}

function renderCase(h) {
  const versions = Array.isArray(h.versions) ? h.versions : [];
  const deleted = Array.isArray(h.deleted_in) ? h.deleted_in : [];
  const nodes = [];
  nodes.push(el('p', { class: 'case-title' }, 'Case ', el('strong', { class: 'case-id', text: String(h.caseid) }), versions.length
    ? ` · ${versions.length} version${versions.length === 1 ? '' : 's'} in the loaded data`
    : ''));
  if (deleted.length) {
    nodes.push(el('p', { class: 'case-deleted', dataset: { deletedIn: deleted.join(',') } }, `On FDA’s deleted-case list of ${deleted.join(', ')}.`));
  }
  if (!versions.length) {
    nodes.push(el('p', { class: 'muted', text: 'No report of this case in the loaded quarters.' }));
  } else {
    nodes.push(
      el(
        'div',
        { class: 'scroll-box case-box' },
        el(
          'table',
          { class: 'mini case-table', id: 'case-table' },
          el('thead', {}, el('tr', {}, [['Quarter'], ['FDA date'], ['PRIMARYID', 'num'], ['Version', 'num'], ['Kept', 'col-kept'], ['Reason']]
            .map(([t, c]) => el('th', { scope: 'col', class: c || null, text: t })))),
          el(
            'tbody',
            {},
            versions.map((v) =>
              el(
                'tr',
                { class: v.kept ? 'is-kept' : '' },
                el('td', { dataset: { col: 'quarter' }, text: v.quarter }),
                el('td', { dataset: { col: 'fda_dt' }, text: fmtDate(v.fda_dt) }),
                el('td', { class: 'num', dataset: { col: 'primaryid' }, text: String(v.primaryid) }),
                el('td', { class: 'num', dataset: { col: 'caseversion' }, text: String(v.caseversion) }),
                el('td', { class: 'col-kept', dataset: { col: 'kept' } }, v.kept ? el('span', { class: 'kept-mark', 'aria-label': 'kept', text: '✓' }) : el('span', { class: 'visually-hidden', text: 'not kept' })),
                el('td', { class: 'reason', dataset: { col: 'reason' }, text: v.reason }),
              )),
          ),
        ),
      ),
    );
  }
  ui.caseResult.replaceChildren(...nodes);
}

ui.caseForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = ui.caseInput.value.trim();
  if (!text) {
    showAlert(ui.caseAlert, 'Enter a case id (the CASEID of a report, such as 10979236).');
    ui.caseInput.focus();
    return;
  }
  // The engine judges the id and says in words what is wrong with it.
  showCase(/^\d+$/.test(text) ? Number(text) : Number.NaN);
});

// Sensitivity: the standard set of deduplication variants, side by side.
const VARIANT_NAMES = { fda: 'FDA rule', caseversion: 'Case version', none: 'None' };

function variantName(v) {
  const x = v.variant || {};
  return `${VARIANT_NAMES[x.dedup] || x.dedup}${x.rule_dedup ? ' + rule-based' : ''}${x.deleted === 'ignore' ? ', deleted kept' : ''}`;
}

ui.sensButton.addEventListener('click', async () => {
  if (!state.result) return;
  hideAlert(ui.sensAlert);
  ui.sensButton.disabled = true;
  ui.sensStatus.textContent = 'Comparing…';
  document.body.dataset.sensitivity = 'running';
  const options = state.resultOptions || currentOptions();
  try {
    const t0 = performance.now();
    const value = await core.sensitivity(options, null);
    const seconds = (performance.now() - t0) / 1000;
    state.sensitivity = value;
    renderSensitivity();
    ui.sensStatus.textContent = `Compared in ${fmtDuration(seconds)}.`;
    document.body.dataset.sensitivity = 'ready';
  } catch (err) {
    ui.sensStatus.textContent = '';
    showAlert(ui.sensAlert, err.message);
    document.body.dataset.sensitivity = 'failed';
  } finally {
    ui.sensButton.disabled = false;
  }
});

ui.sensFlipsOnly.addEventListener('change', () => {
  state.sensFlipsOnly = ui.sensFlipsOnly.checked;
  if (state.sensitivity) renderSensitivityRows();
});

function renderSensitivity() {
  const sv = state.sensitivity;
  const variants = Array.isArray(sv.variants) ? sv.variants : [];
  const flipped = Array.isArray(sv.flipped) ? sv.flipped : [];
  ui.sensResult.hidden = false;
  ui.sensVariants.replaceChildren(
    ...variants.map((v, i) =>
      el(
        'tr',
        { dataset: { variant: String(i), label: v.label } },
        el('th', { scope: 'row' }, el('span', { class: 'variant-name', text: variantName(v) }), el('span', { class: 'variant-label', text: v.label })),
        el('td', { class: 'num', dataset: { col: 'reports' }, text: fmtInt(v.counts?.reports) }),
        el('td', { class: 'num', dataset: { col: 'target_reports' }, text: fmtInt(v.counts?.target_reports) }),
        el('td', { class: 'num', dataset: { col: 'signals' }, text: fmtInt(v.signals) }),
      )),
  );
  ui.sensFlips.replaceChildren(
    flipped.length
      ? el('strong', { dataset: { flips: String(flipped.length) }, text: `${fmtInt(flipped.length)} PT${flipped.length === 1 ? '' : 's'} change${flipped.length === 1 ? 's' : ''} signal status` })
      : el('strong', { dataset: { flips: '0' }, text: 'No PT changes signal status' }),
    flipped.length ? ' between these methods (highlighted, listed first).' : ' between these methods.',
  );

  const head1 = el('tr', {}, el('th', { scope: 'col', rowspan: 2, class: 'col-pt', text: 'Preferred term' }),
    variants.map((v, i) => el('th', { scope: 'colgroup', colspan: 3, class: 'variant-head', dataset: { variant: String(i) }, title: v.label, text: variantName(v) })));
  const head2 = el('tr', {}, variants.map(() => [
    el('th', { scope: 'col', class: 'num group-start', title: 'Target reports with the PT', text: 'a' }),
    el('th', { scope: 'col', class: 'num', title: 'Reporting odds ratio, and below it its 95% confidence interval', text: 'ROR (95% CI)' }),
    el('th', { scope: 'col', class: 'col-mark', title: 'Signal (filled dot) or not (ring)' },
      el('span', { class: 'mark mark-yes', 'aria-hidden': 'true' }), el('span', { class: 'visually-hidden', text: 'Signal' })),
  ]));
  ui.sensTable.tHead.replaceChildren(head1, head2);
  renderSensitivityRows();
}

function renderSensitivityRows() {
  const sv = state.sensitivity;
  const all = Array.isArray(sv.rows) ? sv.rows : [];
  const n = Array.isArray(sv.variants) ? sv.variants.length : 0;
  // Order only: PTs that flip first, then PTs that are a signal under every method, then the rest
  // (each group in the engine's order, by PT).
  const group = (r) => (r.flips ? 0 : r.cells.every((c) => c && c.signal) ? 1 : 2);
  const rows = all
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => !state.sensFlipsOnly || r.flips)
    .sort((x, y) => group(x.r) - group(y.r) || x.i - y.i)
    .map(({ r }) => r);
  const frag = document.createDocumentFragment();
  for (const r of rows) {
    const cells = [];
    for (let i = 0; i < n; i++) {
      const c = r.cells[i];
      cells.push(
        el('td', { class: 'num group-start', dataset: { col: 'a', variant: String(i) }, text: c ? fmtInt(c.a) : DASH }),
        el('td', { class: 'num ror-cell', dataset: { col: 'ror', variant: String(i) } },
          c ? [el('span', { class: 'ror', text: fmtDec2(c.ror) }), el('span', { class: 'ci', text: fmtCI(c.ror_lower, c.ror_upper) })] : DASH),
        el('td', { class: 'col-mark', dataset: { col: 'signal', variant: String(i) } },
          !c ? DASH : el('span', { class: `mark ${c.signal ? 'mark-yes' : 'mark-no'}`, title: c.signal ? 'signal' : 'no signal' },
            el('span', { class: 'visually-hidden', text: c.signal ? 'yes' : 'no' }))),
      );
    }
    frag.append(
      el(
        'tr',
        { class: r.flips ? 'is-flip' : '', dataset: { pt: r.pt, flips: String(Boolean(r.flips)) } },
        el('th', { scope: 'row', class: 'col-pt' }, r.pt, r.flips ? el('span', { class: 'flip-tag', text: 'flips' }) : null),
        cells,
      ),
    );
  }
  ui.sensTable.tBodies[0].replaceChildren(frag);
  const nFlips = all.filter((r) => r.flips).length;
  ui.sensCount.textContent = rows.length === all.length
    ? `${fmtInt(all.length)} preferred terms`
    : `Showing the ${fmtInt(rows.length)} of ${fmtInt(all.length)} preferred terms that flip`;
  if (!rows.length) {
    ui.sensTable.tBodies[0].append(el('tr', {}, el('td', { colspan: 1 + 3 * n, class: 'muted empty-row', text: nFlips ? 'No preferred term to show.' : 'No preferred term changes signal status.' })));
  }
}

// ---------------------------------------------------------------- downloads

// The engine's result.json: the bytes the command line writes for the same files and settings.
ui.downloadJson.addEventListener('click', () => {
  const file = exportFile('result.json');
  if (!state.result || !file) return;
  save('faers-result.json', file.content, 'application/json');
});

ui.downloadCsv.addEventListener('click', () => {
  if (!state.result) return;
  save('faers-signals.csv', signalsToCsv(state.visibleRows), 'text/csv');
});

ui.exports.copy.addEventListener('click', () => copyMethods(ui.exports));

// ---------------------------------------------------------------- case listing (ages)

ui.listingForm.addEventListener('submit', (e) => {
  e.preventDefault();
  applyListingAges();
});

function applyListingAges() {
  const ages = readAges(ui.listingFrom, ui.listingBelow);
  if (ages.error) {
    showAlert(ui.listingAlert, ages.error);
    ages.input.setAttribute('aria-invalid', 'true');
    return;
  }
  hideAlert(ui.listingAlert);
  ui.listingFrom.removeAttribute('aria-invalid');
  ui.listingBelow.removeAttribute('aria-invalid');
  const shown = state.resultOptions?.listing;
  if (state.result && shown && shown.age_from === ages.age_from && shown.age_below === ages.age_below) {
    writeUrlState();
    return;
  }
  rerunIfShown();
}

// ---------------------------------------------------------------- drug label and the reviewer's calls

setupLabelBox(ui.label, core, () => {
  // The label changes the Listed column of the result shown: refresh it at once.
  if (state.result) run();
  else markStale();
});

/** The reviewer's call for a PT ('' drops it; pt null drops every call); the analysis runs again. */
function setOverride(pt, call, { keepFocus = true } = {}) {
  const next = { ...state.overrides };
  if (pt === null) {
    for (const k of Object.keys(next)) delete next[k];
  } else if (call) {
    next[normName(pt)] = call;
  } else {
    delete next[normName(pt)];
  }
  state.overrides = next;
  state.focusOverride = keepFocus ? pt : null;
  renderOverrideChips();
  rerunIfShown();
}

function renderOverrideChips() {
  renderOverrides(ui.labelOverrides, state.overrides, (pt) => setOverride(pt, '', { keepFocus: false }));
}

/** The label parts of the results: the summary line, the "New signals only" toggle. */
function renderLabelState(r) {
  const label = hasLabel(r);
  renderLabelLine(ui.labelLine, r.label || null, { onShowNew: () => setNewOnly(true) });
  ui.newOnly.disabled = !label;
  ui.newOnlyLabel.title = label ? 'Signals the label does not list, strongest (ROR lower bound) first' : 'Needs the drug’s label (step 1)';
  ui.newOnlyLabel.classList.toggle('is-off', !label);
}

// ---------------------------------------------------------------- start

readUrlState();
renderOverrideChips();
renderMeddraStatus();
updateFilesSummary();
document.body.dataset.result = 'none';
document.body.dataset.table = 'none';
document.body.dataset.app = 'ready';
