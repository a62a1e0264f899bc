// Time to onset (the study's Figure 2): how many cases have one and why the others do not,
// its distribution in bands, and the Weibull shape test. Every number is the engine's.

import { el, plural } from '../dom.js';
import { fmtFixed, fmtInt, fmtPercent } from '../format.js';

const EXCLUSIONS = [
  ['no_event_date', 'no event date'],
  ['partial_event_date', 'event date incomplete (year or month only)'],
  ['no_therapy_row', 'no therapy record of the drug'],
  ['no_start_date', 'no start date of the drug'],
  ['partial_start_date', 'start date incomplete (year or month only)'],
  ['negative', 'event before the first dose'],
];

export const CONVENTIONS = {
  '+0': 'day of first dose = day 0 (event date − start date)',
  '+1': 'day of first dose = day 1 (event date − start date + 1)',
};

const READINGS = {
  'early failure': ['β < 1 (CI below 1)', 'early failure', 'the risk is highest soon after the start and falls with time'],
  'random failure': ['β ≈ 1 (CI includes 1)', 'random failure', 'the risk stays about constant over time'],
  'wear-out failure': ['β > 1 (CI above 1)', 'wear-out failure', 'the risk grows with time on the drug'],
};

const f2 = (v) => fmtFixed(v, 2);

function bandLabel(label) {
  const text = String(label);
  if (text.startsWith('>')) return `over ${text.slice(1)} days`;
  return `${text.replace('-', '–')} days`;
}

function stat(key, label, ...value) {
  return [el('dt', { text: label }), el('dd', { dataset: { stat: key } }, ...value)];
}

function weibullNode(w, tto) {
  if (!w) {
    return el('p', { class: 'muted weibull-none', dataset: { weibull: 'none' },
      text: 'No Weibull fit: it needs at least a few cases with a time to onset above 0 days.' });
  }
  const reading = READINGS[w.failure_type] || [null, w.failure_type, null];
  const zeros = w.zeros_excluded
    ? ` (${fmtInt(w.zeros_excluded)} of 0 days left out: the Weibull likelihood needs times above 0${tto.convention === '+0' ? '; the +1 convention keeps them' : ''})`
    : '';
  return el(
    'div',
    { class: 'weibull', dataset: { weibull: 'fit' } },
    el('h4', { text: 'Weibull shape test' }),
    el('dl', { class: 'kv weibull-kv' },
      stat('shape', 'Shape β (95% CI)', `${f2(w.shape)} (${f2(w.shape_lower)}–${f2(w.shape_upper)})`),
      stat('scale', 'Scale η, days (95% CI)', `${f2(w.scale)} (${f2(w.scale_lower)}–${f2(w.scale_upper)})`),
      stat('weibull_n', 'Cases fitted', fmtInt(w.n), zeros ? el('span', { class: 'stat-note', text: zeros }) : null)),
    el('p', { class: 'weibull-reading', dataset: { reading: w.failure_type } },
      reading[0] ? `${reading[0]}: ` : '', el('strong', { text: reading[1] }), reading[2] ? ` — ${reading[2]}.` : '.'),
    el('p', { class: 'help', text: `Maximum likelihood; Wald intervals from the observed information (SE β ${f2(w.shape_se)}, SE η ${f2(w.scale_se)}; log-likelihood ${f2(w.log_likelihood)}, ${fmtInt(w.iterations)} iterations).` }),
  );
}

/**
 * Renders the time-to-onset panel. `cases`: the target cases; `figure`: the time_to_onset
 * SVG as a node (or null).
 */
export function renderOnset(node, tto, cases, figure) {
  node.replaceChildren();
  if (!tto || typeof tto !== 'object') {
    node.append(el('p', { class: 'muted', text: 'No time to onset in this result.' }));
    return;
  }
  const excluded = tto.excluded && typeof tto.excluded === 'object' ? tto.excluded : {};
  const reasons = EXCLUSIONS.filter(([k]) => excluded[k]).map(([k, words]) =>
    el('li', { dataset: { reason: k } }, el('span', { class: 'num-inline', text: fmtInt(excluded[k]) }), ` ${words}`));
  const nExcluded = EXCLUSIONS.reduce((s, [k]) => s + (excluded[k] || 0), 0);
  const head = el(
    'div',
    { class: 'onset-head' },
    el('p', { class: 'onset-n' },
      el('strong', { dataset: { stat: 'n' }, text: `${fmtInt(tto.n)} of ${fmtInt(cases)} ${plural(cases, 'case')}` }),
      ` have a time to onset (${fmtPercent(tto.n, cases)}%), with the ${CONVENTIONS[tto.convention] || tto.convention}.`),
    reasons.length
      ? el('div', { class: 'onset-excluded' },
        el('p', { class: 'help', text: `Left out (${fmtInt(nExcluded)}):` }),
        el('ul', { class: 'reasons' }, reasons))
      : null,
  );
  node.append(head);
  if (!tto.n) {
    node.append(el('p', { class: 'muted', text: 'No case has both a complete event date and a complete start date of the drug.' }));
    return;
  }
  const bands = Array.isArray(tto.bands) ? tto.bands : [];
  const max = Math.max(1, ...bands.map((b) => b.count || 0));
  const bandTable = el(
    'table',
    { class: 'mini bars onset-bands' },
    el('caption', { class: 'visually-hidden', text: 'Cases by time to onset' }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Days after the start' }),
      el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', text: 'Share (bar)' })),
      el('th', { scope: 'col', class: 'num', text: 'Cases' }), el('th', { scope: 'col', class: 'num', text: '%' }))),
    el('tbody', {}, bands.map((b) => {
      const bar = el('span', { class: 'bar', 'aria-hidden': 'true' });
      if (b.count > 0) bar.style.width = `max(2px, ${(b.count / max) * 100}%)`;
      return el('tr', { dataset: { band: b.label } },
        el('th', { scope: 'row', text: bandLabel(b.label) }),
        el('td', { class: 'bar-cell' }, bar),
        el('td', { class: 'num', dataset: { col: 'count' }, text: fmtInt(b.count) }),
        el('td', { class: 'num', dataset: { col: 'pct' }, text: fmtFixed(b.share * 100, 2) }));
    })),
  );
  const stats = el('dl', { class: 'kv onset-stats' },
    stat('median', 'Median [IQR], days', `${f2(tto.median)} [${f2(tto.q1)}–${f2(tto.q3)}]`),
    stat('mean', 'Mean, days', f2(tto.mean)),
    stat('range', 'Range, days', `${fmtInt(tto.min)}–${fmtInt(tto.max)}`));
  node.append(el(
    'div',
    { class: 'onset-body' },
    figure ? el('figure', { class: 'onset-figure figure-frame' }, figure, el('figcaption', { class: 'help', text: 'Figure 2 of the study: cases by days from the start of the drug.' })) : null,
    el('div', { class: 'onset-numbers' }, stats, bandTable, weibullNode(tto.weibull, tto)),
  ));
}
