// The case listing (the study's Table 9): the target cases in an age range, one row per DRUG
// record of the target drug, with what was given and what happened.

import { el, plural } from '../dom.js';
import { DASH, fmtInt } from '../format.js';
import { OUTCOME_WORDS } from './descriptive.js';

const AGE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const text = (v) => (v === null || v === undefined || v === '' ? DASH : String(v));
const num = (v) => (typeof v === 'number' ? AGE.format(v) : DASH);

const COLUMNS = [
  ['caseid', 'Case id', 'num', (r) => text(r.caseid)],
  ['primaryid', 'Report (PRIMARYID)', 'num', (r) => text(r.primaryid)],
  ['quarter', 'Quarter', '', (r) => text(r.quarter)],
  ['age', 'Age (years)', 'num', (r) => num(r.age)],
  ['sex', 'Sex', '', (r) => (r.sex === 'unknown' ? DASH : text(r.sex))],
  ['weight_kg', 'Weight (kg)', 'num', (r) => num(r.weight_kg)],
  ['drugname', 'Drug name as reported', 'col-wide', (r) => text(r.drugname)],
  ['role', 'Role', '', (r) => text(r.role)],
  ['route', 'Route', '', (r) => text(r.route)],
  ['dose_amt', 'Dose', 'num', (r) => text(r.dose_amt)],
  ['dose_unit', 'Unit', '', (r) => text(r.dose_unit)],
  ['dose_form', 'Dose form', 'col-wide', (r) => text(r.dose_form)],
  ['dose_freq', 'Frequency', '', (r) => text(r.dose_freq)],
  ['outcomes', 'Outcomes', '', null],
  ['reactions', 'Reactions (PTs)', 'col-reactions', (r) => text(r.reactions)],
];

function outcomesCell(codes) {
  const list = String(codes || '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!list.length) return DASH;
  return list.flatMap((c, i) => [i ? ', ' : null, el('abbr', { title: OUTCOME_WORDS[c] || c, text: c })]);
}

/** Renders the listing table, its row count and its empty state. */
export function renderListing(ui, listing) {
  const rows = Array.isArray(listing?.rows) ? listing.rows : [];
  const cases = listing?.cases ?? 0;
  ui.head.replaceChildren(el('tr', {}, COLUMNS.map(([key, label, cls]) => el('th', { scope: 'col', class: cls || null, dataset: { key }, text: label }))));
  ui.body.replaceChildren(...rows.map((r) => el(
    'tr',
    { dataset: { caseid: text(r.caseid), primaryid: String(r.primaryid) } },
    COLUMNS.map(([key, , cls, cell]) => {
      const content = key === 'outcomes' ? outcomesCell(r.outcomes) : cell(r);
      return el('td', { class: cls || null, dataset: { col: key } }, content);
    }),
  )));
  ui.wrap.hidden = rows.length === 0;
  ui.empty.hidden = rows.length > 0;
  ui.empty.textContent = `No target case with ${listing?.filter || 'an age in this range'}.`;
  ui.count.dataset.rows = String(rows.length);
  ui.count.dataset.cases = String(cases);
  ui.count.textContent = rows.length
    ? `${fmtInt(cases)} ${plural(cases, 'case')} with ${listing.filter}: ${fmtInt(rows.length)} ${plural(rows.length, 'row')}, one per record of the drug.`
    : '';
}

/** The ages typed in, checked: {age_from, age_below} or {error}. */
export function readAges(fromInput, belowInput) {
  const parse = (input, what) => {
    const t = input.value.trim();
    if (t === '') return { value: null };
    const v = Number(t);
    if (!Number.isFinite(v) || v < 0) return { error: `${what}: “${t}” is not an age in years.` };
    return { value: v };
  };
  const from = parse(fromInput, 'From');
  if (from.error) return { error: from.error, input: fromInput };
  const below = parse(belowInput, 'Below');
  if (below.error) return { error: below.error, input: belowInput };
  const age_from = from.value ?? 0;
  const age_below = below.value ?? 18;
  if (age_from >= age_below) return { error: `The lower age (${age_from}) must be below the upper age (${age_below}).`, input: belowInput };
  return { age_from, age_below };
}
