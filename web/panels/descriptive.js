// "Target reports at a glance": the study's Table 2 and the other case characteristics, each
// with n and the percentage of the target cases. Counts come from the result's `descriptive`;
// percentages are computed and rounded as the engine's descriptive.csv does.

import { el, plural } from '../dom.js';
import { fmtFixed, fmtInt, fmtPercent } from '../format.js';

const COUNTRIES_SHOWN = 10;

// table key in descriptive.csv -> how the page shows it.
const TABLES = [
  { key: 'sex', field: 'sex', title: 'Sex', order: ['M', 'F', 'unknown'], codes: { M: 'Male', F: 'Female', unknown: 'Not specified' } },
  {
    key: 'age_group', field: 'age_group', title: 'Age (years)',
    order: ['<18', '18-44', '45-64', '>=65', 'unknown'],
    codes: { '<18': 'Under 18', '18-44': '18 to 44', '45-64': '45 to 64', '>=65': '65 and over', unknown: 'Not specified' },
  },
  { key: 'year', field: 'year', title: 'Year received by FDA', order: [], codes: { unknown: 'Not specified' }, last: ['unknown'] },
  {
    key: 'reporter', field: 'reporter', title: 'Reporter',
    order: ['MD', 'PH', 'HP', 'OT', 'CN', 'LW', 'unknown'],
    codes: { MD: 'Physician', PH: 'Pharmacist', HP: 'Health professional', OT: 'Other health professional', CN: 'Consumer', LW: 'Lawyer', unknown: 'Not specified' },
  },
  { key: 'country', field: 'country', title: 'Reporter country', country: true },
  {
    key: 'outcome', field: 'outcome', title: 'Serious outcomes', note: 'A case can have several.',
    order: ['DE', 'LT', 'HO', 'DS', 'CA', 'RI', 'OT'],
    codes: { DE: 'Death', LT: 'Life-threatening', HO: 'Hospitalisation', DS: 'Disability', CA: 'Congenital anomaly', RI: 'Required intervention', OT: 'Other serious event' },
  },
  {
    key: 'seriousness', field: 'seriousness', title: 'Seriousness', order: ['serious', 'non-serious'],
    codes: { serious: 'Serious (any serious outcome)', 'non-serious': 'Not serious' },
  },
  {
    key: 'role', field: 'roles', title: 'Role of the drug', note: 'Reports naming the drug in each role.',
    order: ['PS', 'SS', 'C', 'I', 'DN'],
    codes: { PS: 'Primary suspect', SS: 'Secondary suspect', C: 'Concomitant', I: 'Interacting', DN: 'Not administered' },
  },
  { key: 'indication', field: 'indications', title: 'Indications', ranking: 'indications' },
  { key: 'concomitant', field: 'concomitant', title: 'Concomitant drugs', ranking: 'other drugs' },
];

export const OUTCOME_WORDS = TABLES.find((t) => t.key === 'outcome').codes;

let regionNames = null;
// Made, and its data loaded (~3 ms), while the page is idle rather than in a result's first drawing.
self.requestIdleCallback?.(() => {
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    regionNames.of('US');
  } catch {
    // countryName falls back to the code.
  }
});

function countryName(code) {
  if (code === 'unknown') return 'Not specified';
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    const name = /^[A-Z]{2}$/.test(code) ? regionNames.of(code) : null;
    return name && name !== code ? name : code;
  } catch {
    return code;
  }
}

/** Entries of a count map in the table's natural order (the engine's maps are sorted by key). */
function orderedEntries(value, spec) {
  const order = spec.order || [];
  const last = spec.last || [];
  const rank = (k) => {
    const i = order.indexOf(k);
    if (i >= 0) return i;
    return last.includes(k) ? order.length + 1 : order.length;
  };
  return Object.entries(value)
    .map((e, i) => ({ e, i }))
    .sort((x, y) => rank(x.e[0]) - rank(y.e[0]) || x.i - y.i)
    .map((x) => x.e);
}

/** Countries: the most frequent ten, the rest summed, then the reports without a country. */
function countryRows(value) {
  const entries = Object.entries(value).filter(([k]) => k !== 'unknown');
  entries.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const rows = entries.slice(0, COUNTRIES_SHOWN).map(([code, n]) => ({ code, label: countryName(code), n }));
  const rest = entries.slice(COUNTRIES_SHOWN);
  if (rest.length) {
    rows.push({
      code: 'other',
      label: `Other countries (${rest.length})`,
      title: rest.map(([c, n]) => `${c} ${n}`).join(', '),
      n: rest.reduce((s, [, n]) => s + n, 0),
    });
  }
  if ('unknown' in value) rows.push({ code: 'unknown', label: 'Not specified', n: value.unknown });
  return rows;
}

function countTable(rows, cases, caption) {
  const max = Math.max(1, ...rows.map((r) => r.n || 0));
  return el(
    'table',
    { class: 'mini bars desc-table' },
    el('caption', { class: 'visually-hidden', text: caption }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: 'Category' }),
      el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', text: 'Share (bar)' })),
      el('th', { scope: 'col', class: 'num', text: 'n' }),
      el('th', { scope: 'col', class: 'num', text: '%' }))),
    el('tbody', {}, rows.map((r) => {
      const bar = el('span', { class: 'bar', 'aria-hidden': 'true' });
      // Bar length is presentation only (count relative to the largest); CSSOM styles are CSP-safe.
      if (r.n > 0) bar.style.width = `max(2px, ${(r.n / max) * 100}%)`;
      return el(
        'tr',
        { class: r.n ? '' : 'is-zero', dataset: { category: r.code } },
        el('th', { scope: 'row', title: r.title || (r.label !== r.code ? r.code : null) }, r.label),
        el('td', { class: 'bar-cell' }, bar),
        el('td', { class: 'num', dataset: { col: 'n' }, text: fmtInt(r.n) }),
        el('td', { class: 'num pct', dataset: { col: 'pct' }, text: fmtPercent(r.n, cases) }),
      );
    })),
  );
}

function ageLine(age, cases) {
  if (!age || !age.n) return el('p', { class: 'age-line muted', dataset: { age: 'none' }, text: 'No case states an age.' });
  const f = (v) => fmtFixed(v, 2);
  return el(
    'p',
    { class: 'age-line', dataset: { age: 'stats' } },
    el('span', { dataset: { stat: 'mean' } }, 'Mean ', el('strong', { text: `${f(age.mean)} ± ${f(age.sd)}` }), ' (SD)'),
    ' · ',
    el('span', { dataset: { stat: 'median' } }, 'median ', el('strong', { text: f(age.median) }), ` [IQR ${f(age.q1)}–${f(age.q3)}]`),
    ' · ',
    el('span', { dataset: { stat: 'range' } }, `range ${f(age.min)}–${f(age.max)}`),
    ' · ',
    el('span', { dataset: { stat: 'n' } }, `${fmtInt(age.n)} of ${fmtInt(cases)} ${plural(cases, 'case')} with an age (${fmtPercent(age.n, cases)}%)`),
  );
}

/** Renders the descriptive tables of `result` into `node`. */
export function renderDescriptive(node, result) {
  const d = result && result.descriptive;
  node.replaceChildren();
  if (!d || typeof d !== 'object') {
    node.append(el('p', { class: 'muted', text: 'No descriptive statistics in this result.' }));
    return;
  }
  const cases = typeof d.cases === 'number' ? d.cases : result.counts?.target_reports;
  const ades = result.counts?.target_pairs;
  node.append(el(
    'p',
    { class: 'desc-headline' },
    el('strong', { dataset: { headline: 'cases' }, text: `${fmtInt(cases)} ${plural(cases, 'case')}` }),
    ' ',
    el('span', { dataset: { headline: 'ades' }, text: `(${fmtInt(ades)} ${plural(ades, 'ADE')})` }),
    el('span', { class: 'muted', text: ' · target reports after deduplication, and their report–PT pairs. Percentages are of the cases.' }),
  ));
  if (!cases) {
    node.append(el('p', { class: 'muted', text: 'No target report: nothing to describe.' }));
    return;
  }
  const grid = el('div', { class: 'descriptive' });
  for (const spec of TABLES) {
    const value = d[spec.field];
    if (!value || typeof value !== 'object') continue;
    const block = el('section', { class: 'desc-block', dataset: { key: spec.key } });
    if (spec.ranking) {
      const top = Array.isArray(value.top) ? value.top : [];
      block.classList.add('desc-ranking');
      block.append(
        el('h4', { text: spec.title }),
        el('p', { class: 'help desc-note', dataset: { note: 'ranking' } },
          top.length < value.distinct
            ? `Top ${fmtInt(top.length)} of ${fmtInt(value.distinct)} distinct ${spec.ranking}`
            : `All ${fmtInt(value.distinct)} distinct ${spec.ranking}`,
          ` · ${fmtInt(value.cases_with_any)} ${plural(value.cases_with_any, 'case')} with any (${fmtPercent(value.cases_with_any, cases)}%)`),
        top.length
          ? el('div', { class: 'scroll-box' }, countTable(top.map((x) => ({ code: x.name, label: x.name, n: x.reports })), cases, spec.title))
          : el('p', { class: 'muted', text: 'None reported.' }),
      );
    } else {
      const rows = spec.country
        ? countryRows(value)
        : orderedEntries(value, spec).map(([code, n]) => ({ code, label: (spec.codes && spec.codes[code]) || code, n }));
      block.append(el('h4', { text: spec.title }));
      if (spec.note) block.append(el('p', { class: 'help desc-note', text: spec.note }));
      block.append(countTable(rows, cases, spec.title));
      if (spec.key === 'age_group') block.append(ageLine(d.age, cases));
    }
    grid.append(block);
  }
  node.append(grid);
}

