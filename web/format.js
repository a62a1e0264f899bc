// Formatting, sorting and CSV helpers. Nothing here computes a statistic: values come from the result
// object and are only formatted or ordered.

export const DASH = '–';

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const DEC2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const DEC1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const isNum = (v) => typeof v === 'number' && !Number.isNaN(v);

/** Integer count with thousands separators; null/undefined -> "–". */
export function fmtInt(v) {
  if (!isNum(v)) return DASH;
  return INT.format(v);
}

/** A measure with 2 decimals; null (undefined measure) -> "–". */
export function fmtDec2(v) {
  if (!isNum(v)) return DASH;
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  return DEC2.format(v);
}

/** A p-value: 4 decimals, or 2 significant digits in scientific notation below 0.0001. */
export function fmtP(v) {
  if (!isNum(v)) return DASH;
  if (v === 0) return '0';
  if (v < 0.0001) {
    const [m, e] = v.toExponential(1).split('e');
    return `${m}×10${superscript(e)}`;
  }
  return v.toFixed(4);
}

const SUP = { '-': '⁻', '+': '', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
function superscript(text) {
  return [...String(text)].map((ch) => SUP[ch] ?? ch).join('');
}

/** A fitted parameter to `digits` significant digits (plain notation where sensible). */
export function fmtSig(v, digits = 5) {
  if (!isNum(v)) return DASH;
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v !== 0 && (Math.abs(v) >= 10 ** digits || Math.abs(v) < 1e-4)) {
    const [m, e] = v.toExponential(digits - 1).split('e');
    return `${m}×10${superscript(e)}`;
  }
  return String(Number(v.toPrecision(digits)));
}

/** A number as given, for descriptive values like a median (no rounding beyond 1 decimal). */
export function fmtNum(v) {
  if (!isNum(v)) return DASH;
  return Number.isInteger(v) ? INT.format(v) : DEC1.format(v);
}

/**
 * `v` with `digits` decimals, rounded exactly as the engine's Rust formatting (`{:.2}`) rounds:
 * on the exact binary value, ties to even (JS's toFixed rounds ties up). Thousands separated.
 */
export function fmtFixed(v, digits = 2) {
  if (!isNum(v)) return DASH;
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const abs = Math.abs(v);
  let text;
  if (abs >= 1e21) {
    text = abs.toFixed(digits);
  } else {
    // toFixed(100) is the exact decimal expansion of a double of this size.
    const [int, frac = ''] = abs.toFixed(100).split('.');
    const keep = frac.slice(0, digits);
    const rest = frac.slice(digits);
    let up = rest[0] > '5' || (rest[0] === '5' && /[1-9]/.test(rest.slice(1)));
    if (rest[0] === '5' && !up) {
      const last = (int + keep).slice(-1);
      up = Number(last) % 2 === 1; // an exact tie: to even
    }
    let digitsText = int + keep;
    if (up) digitsText = (BigInt(digitsText) + 1n).toString().padStart(digitsText.length, '0');
    const cut = digitsText.length - digits;
    text = digits ? `${digitsText.slice(0, cut) || '0'}.${digitsText.slice(cut)}` : digitsText;
  }
  const [i, f] = text.split('.');
  const grouped = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const out = f === undefined ? grouped : `${grouped}.${f}`;
  return v < 0 && /[1-9]/.test(out) ? `−${out}` : out;
}

/** `n` as a percentage of `of` with 2 decimals, computed and rounded as the engine's CSVs do. */
export function fmtPercent(n, of) {
  if (!isNum(n) || !isNum(of) || of <= 0) return DASH;
  return fmtFixed((n * 100) / of, 2);
}

/** "395.96–596.57", or "–" when either bound is undefined. */
export function fmtCI(lo, hi) {
  if (!isNum(lo) || !isNum(hi)) return DASH;
  return `${fmtDec2(lo)}–${fmtDec2(hi)}`;
}

/** A FAERS date given as the number YYYYMMDD (or YYYYMM, YYYY) as YYYY-MM-DD; 0 or missing -> "–". */
export function fmtDate(v) {
  if (!isNum(v) || v <= 0) return DASH;
  const t = String(v);
  if (t.length === 8) return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6)}`;
  if (t.length === 6) return `${t.slice(0, 4)}-${t.slice(4)}`;
  return t;
}

/**
 * How long something took, as a reader takes it in: "40 ms" under a second (a query on one
 * quarter takes tens of milliseconds, which "0.0 s" hid), "2.4 s" under ten, "12 s" beyond.
 */
export function fmtDuration(seconds) {
  if (!isNum(seconds) || seconds < 0) return DASH;
  if (seconds < 0.9995) return `${Math.max(1, Math.round(seconds * 1000))} ms`;
  if (seconds < 9.95) return `${seconds.toFixed(1)} s`;
  return `${Math.round(seconds)} s`;
}

export function fmtBytes(n) {
  if (!isNum(n)) return DASH;
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** Whole percent of progress for a progress bar label. */
export function percent(done, total) {
  if (!isNum(done) || !isNum(total) || total <= 0) return 0;
  return Math.min(100, Math.floor((done / total) * 100));
}

// ---- sorting of the signal table ----

// type: 'text' sorts ascending on first click, 'num' descending.
const ebgmOf = (r, k) => (r.ebgm && typeof r.ebgm === 'object' ? r.ebgm[k] : null);
export const SORT_KEYS = {
  pt: { type: 'text', get: (r) => r.pt },
  a: { type: 'num', get: (r) => r.a },
  b: { type: 'num', get: (r) => r.b },
  c: { type: 'num', get: (r) => r.c },
  d: { type: 'num', get: (r) => r.d },
  ror: { type: 'num', get: (r) => r.ror },
  ci: { type: 'num', get: (r) => r.ror_lower },
  prr: { type: 'num', get: (r) => r.prr },
  prr_ci: { type: 'num', get: (r) => r.prr_lower },
  chi2: { type: 'num', get: (r) => r.chi2 },
  chi2_yates: { type: 'num', get: (r) => r.chi2_yates },
  ic: { type: 'num', get: (r) => r.ic },
  ic025: { type: 'num', get: (r) => r.ic025 },
  ic975: { type: 'num', get: (r) => r.ic975 },
  bcpnn: { type: 'num', get: (r) => r.bcpnn },
  bcpnn_lower: { type: 'num', get: (r) => r.bcpnn_lower },
  p_value: { type: 'num', get: (r) => r.p_value, asc: true },
  p_adjusted: { type: 'num', get: (r) => r.p_adjusted, asc: true },
  ebgm: { type: 'num', get: (r) => ebgmOf(r, 'ebgm') },
  eb05: { type: 'num', get: (r) => ebgmOf(r, 'eb05') },
  eb95: { type: 'num', get: (r) => ebgmOf(r, 'eb95') },
  pt_code: { type: 'num', get: (r) => r.pt_code, asc: true },
  soc: { type: 'text', get: (r) => r.soc },
  signal: { type: 'num', get: (r) => (r.signal ? 1 : 0), then: 'ror' },
  listed: { type: 'text', get: (r) => r.listed },
};

/** The first direction of a column: text and p-values ascending, measures descending. */
export function firstDir(key) {
  const spec = SORT_KEYS[key];
  return spec && (spec.type === 'text' || spec.asc) ? 'asc' : 'desc';
}

export const DEFAULT_SORT = { key: 'signal', dir: 'desc' };

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function compareValues(x, y, type) {
  if (type === 'text') return collator.compare(String(x ?? ''), String(y ?? ''));
  return x - y;
}

/** Returns a new array sorted by `key` in `dir`; undefined values (null) always go last; ties by PT. */
export function sortRows(rows, key, dir) {
  const spec = SORT_KEYS[key] || SORT_KEYS[DEFAULT_SORT.key];
  const sign = dir === 'asc' ? 1 : -1;
  const keys = [spec];
  if (spec.then) keys.push(SORT_KEYS[spec.then]);
  return rows
    .map((row, i) => ({ row, i }))
    .sort((p, q) => {
      for (const k of keys) {
        const x = k.get(p.row);
        const y = k.get(q.row);
        const xm = x === null || x === undefined || Number.isNaN(x);
        const ym = y === null || y === undefined || Number.isNaN(y);
        if (xm || ym) {
          if (xm && ym) continue;
          return xm ? 1 : -1;
        }
        const c = compareValues(x, y, k.type);
        if (c !== 0) return sign * c;
      }
      const c = collator.compare(String(p.row.pt ?? ''), String(q.row.pt ?? ''));
      return c !== 0 ? c : p.i - q.i;
    })
    .map((p) => p.row);
}

// ---- CSV ----

export const SIGNAL_COLUMNS = [
  'pt', 'a', 'b', 'c', 'd',
  'ror', 'ror_lower', 'ror_upper',
  'prr', 'prr_lower', 'prr_upper',
  'chi2', 'chi2_yates', 'ic', 'ic025', 'ic975', 'bcpnn', 'bcpnn_lower',
  'p_value', 'p_adjusted', 'ebgm', 'eb05', 'eb95', 'signal',
  'pt_code', 'soc', 'hlgt', 'hlt', 'socs', 'meddra_match', 'listed', 'listed_by',
];

function csvCell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) v = v.map((x) => (x && typeof x === 'object' ? JSON.stringify(x) : String(x))).join('; ');
  else if (typeof v === 'object') v = JSON.stringify(v);
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A row's fields with the EBGM object spread into ebgm, eb05, eb95. */
function flatRow(r) {
  const out = { ...r };
  if (r.ebgm && typeof r.ebgm === 'object') {
    out.ebgm = r.ebgm.ebgm;
    out.eb05 = r.ebgm.eb05;
    out.eb95 = r.ebgm.eb95;
  }
  return out;
}

/** CSV of signal rows with every field of the result (full precision), known columns first. */
export function signalsToCsv(rows) {
  const flat = rows.map(flatRow);
  const extra = [];
  for (const r of flat) {
    for (const k of Object.keys(r)) {
      if (!SIGNAL_COLUMNS.includes(k) && !extra.includes(k)) extra.push(k);
    }
  }
  const cols = [...SIGNAL_COLUMNS, ...extra];
  const lines = [cols.join(',')];
  for (const r of flat) lines.push(cols.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
