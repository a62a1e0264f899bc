// The drug's label (issue 8): the reviewer loads DailyMed's SPL (zip or XML) or pastes the
// text; the engine then marks each signal as listed (and where) or not, by its PT and, with
// MedDRA, by its LLT synonyms. The reviewer can overrule any call; calls are settings.

import { el, hideAlert, plural, showAlert } from '../dom.js';
import { DASH, fmtDate, fmtInt } from '../format.js';

export const PASTED_NAME = 'pasted text';

/** The calls a reviewer can make ('' = keep the label's). */
export const CALLS = [
  ['', 'as the label says'],
  ['not listed', 'not listed'],
  ['listed', 'listed'],
  ['boxed warning', 'boxed warning'],
  ['warnings and precautions', 'warnings and precautions'],
  ['warnings', 'warnings'],
  ['adverse reactions', 'adverse reactions'],
];

const SECTION_WORDS = {
  'boxed warning': 'Boxed warning',
  'warnings and precautions': 'Warnings and precautions',
  warnings: 'Warnings',
  'adverse reactions': 'Adverse reactions',
  'label text': 'Label text',
};

const norm = (s) => String(s ?? '').trim().replace(/\s+/g, ' ').toUpperCase();

/** A label's name for people: its title, else its file. */
export function labelName(label) {
  return label?.title || label?.source || 'the label';
}

function summaryNode(label) {
  const sections = Array.isArray(label.sections) ? label.sections : [];
  const date = label.effective_time && /^\d{8}$/.test(label.effective_time) ? fmtDate(Number(label.effective_time)) : label.effective_time;
  const row = (k, label_, value) => (value ? [el('dt', { text: label_ }), el('dd', { dataset: { label: k }, text: value })] : null);
  return el(
    'div',
    { class: 'label-summary-body' },
    el('dl', { class: 'kv label-kv' },
      row('source', 'File', label.source),
      row('format', 'Format', label.format === 'spl' ? 'SPL (structured product labeling)' : 'Text'),
      row('title', 'Title', label.title),
      row('set_id', 'Set id', label.set_id),
      row('version', 'Version', label.version),
      row('effective_time', 'Effective date', date)),
    el(
      'table',
      { class: 'mini label-sections' },
      el('caption', { class: 'visually-hidden', text: 'Sections read from the label' }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Section' }), el('th', { scope: 'col', text: 'Heading' }), el('th', { scope: 'col', class: 'num', text: 'Words' }))),
      el('tbody', {}, sections.map((s) => el('tr', { dataset: { kind: s.kind } },
        el('th', { scope: 'row', text: SECTION_WORDS[s.kind] || s.kind }),
        el('td', { text: s.title || DASH }),
        el('td', { class: 'num', text: fmtInt(s.words) })))),
    ),
  );
}

/**
 * Wires the label box: file input, drop, pasted text, removal. `onChange(label | null)` is
 * called after the engine took (or dropped) a label.
 */
export function setupLabelBox(ui, core, onChange) {
  let current = null;

  const render = () => {
    document.body.dataset.label = current ? 'loaded' : 'none';
    ui.remove.hidden = !current;
    ui.status.replaceChildren(current
      ? el('span', { class: 'meddra-loaded' }, el('strong', { text: 'Label loaded' }), ` · ${labelName(current)}`)
      : 'Not loaded.');
    ui.summary.hidden = !current;
    ui.summary.replaceChildren(...(current ? [summaryNode(current)] : []));
  };

  const load = async (name, request) => {
    hideAlert(ui.alert);
    ui.status.textContent = `Reading ${name}…`;
    document.body.dataset.label = 'loading';
    try {
      current = await request();
      render();
      onChange(current);
    } catch (err) {
      render();
      const msg = String(err.message || err);
      showAlert(ui.alert, msg.includes(name) ? msg : `${name}: ${msg}`);
      document.body.dataset.label = current ? 'loaded' : 'failed';
    }
  };

  const loadFile = (file) => load(file.name, () => core.labelFile(file.name, file));

  ui.input.addEventListener('change', () => {
    const file = ui.input.files[0];
    ui.input.value = '';
    if (file) loadFile(file);
  });
  ui.useText.addEventListener('click', () => {
    const text = ui.text.value;
    if (!text.trim()) {
      showAlert(ui.alert, 'Paste the label’s text first (at least its warnings and adverse reactions).');
      ui.text.focus();
      return;
    }
    load(PASTED_NAME, () => core.labelText(PASTED_NAME, text));
  });
  ui.remove.addEventListener('click', async () => {
    hideAlert(ui.alert);
    try {
      await core.labelClear();
      current = null;
      render();
      onChange(null);
    } catch (err) {
      showAlert(ui.alert, err.message);
    }
  });
  // A label dropped on the box (the page ignores drops elsewhere).
  ui.box.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    ui.box.classList.add('dragging');
  });
  ui.box.addEventListener('dragleave', (e) => {
    if (!ui.box.contains(e.relatedTarget)) ui.box.classList.remove('dragging');
  });
  ui.box.addEventListener('drop', (e) => {
    e.preventDefault();
    ui.box.classList.remove('dragging');
    const file = e.dataTransfer?.files?.[0];
    if (file) loadFile(file);
  });
  render();
  return { get label() { return current; } };
}

/** The reviewer's calls in force, each removable (shown with or without a label). */
export function renderOverrides(node, overrides, onRemove) {
  const entries = Object.entries(overrides);
  node.hidden = entries.length === 0;
  if (!entries.length) {
    node.replaceChildren();
    return;
  }
  node.replaceChildren(
    el('p', { class: 'help' }, `Your ${plural(entries.length, 'call')} (${entries.length === 1 ? 'it overrules' : 'they overrule'} the label; kept in the link): `),
    el('ul', { class: 'chips override-chips', 'aria-label': 'Your listedness calls' }, entries.map(([pt, call]) => el(
      'li',
      { class: 'chip', dataset: { pt } },
      el('span', { class: 'chip-text', text: `${pt}: ${call}` }),
      el('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove your call for ${pt}`, title: `Remove your call for ${pt}`, text: '×', onclick: () => onRemove(pt) }),
    ))),
    entries.length > 1 ? el('button', { type: 'button', class: 'link-button', text: 'Remove all your calls', onclick: () => onRemove(null) }) : null,
  );
}

/** The Listed cell of a signal row: the call, how it was found, and the reviewer's select. */
export function listedCell(r, override, onOverride) {
  const by = r.listed_by;
  const reviewer = by === 'reviewer';
  const via = by && !reviewer && norm(by) !== norm(r.pt) ? by : null;
  const listed = r.listed ?? null;
  const cls = listed === 'not listed' ? 'is-new' : listed ? 'is-listed' : '';
  const select = el('select', {
    class: 'listed-override',
    'aria-label': `Your listedness call for ${r.pt}`,
    title: 'Overrule the label’s call (the analysis runs again)',
    dataset: { pt: r.pt },
    onchange: (e) => onOverride(r.pt, e.target.value),
  }, CALLS.map(([value, text]) => el('option', { value, text, selected: value === (override || '') })));
  return el(
    'span',
    { class: 'listed-cell' },
    el('span', { class: `listed-call ${cls}`.trim(), dataset: { listed: listed ?? '' }, text: listed ?? DASH }),
    reviewer ? el('span', { class: 'listed-by is-reviewer', dataset: { by: 'reviewer' }, title: 'Your call, not the label’s', text: 'your call' }) : null,
    via ? el('small', { class: 'listed-by is-via', dataset: { by: 'synonym', term: via }, title: `Found in the label as “${via}”, a MedDRA lowest-level term (synonym) of ${r.pt}`, text: `via ${via}` }) : null,
    select,
  );
}

/** "k of n signals are not in the label", from the result's label summary. */
export function renderLabelLine(node, resultLabel, { onShowNew } = {}) {
  node.hidden = !resultLabel;
  if (!resultLabel) {
    node.replaceChildren();
    return;
  }
  const n = (resultLabel.listed_signals || 0) + (resultLabel.new_signals || 0);
  const k = resultLabel.new_signals || 0;
  node.replaceChildren(
    el('strong', { dataset: { newSignals: String(k), signals: String(n) }, text: `${fmtInt(k)} of ${fmtInt(n)} ${plural(n, 'signal')} ${k === 1 ? 'is' : 'are'} not in the label` }),
    ` (${labelName(resultLabel)}).`,
    resultLabel.overrides ? ` ${fmtInt(resultLabel.overrides)} ${plural(resultLabel.overrides, 'call')} by you.` : '',
    resultLabel.synonyms ? ' PTs were also looked up by their MedDRA synonyms (LLTs).' : ' Load MedDRA to look PTs up by their synonyms (LLTs) too.',
    ...(k && onShowNew ? [' ', el('button', { type: 'button', class: 'link-button', text: 'Show only these', onclick: onShowNew })] : []),
  );
}
