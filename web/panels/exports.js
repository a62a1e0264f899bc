// Every file of the analysis, as the engine renders it (the bytes of the CLI's --export): the
// tables as CSV, the figures as SVG, the result as JSON and the methods paragraph.

import { el, save } from '../dom.js';
import { fmtBytes, fmtInt } from '../format.js';
import { zipStored } from '../zip.js';

const GROUPS = [
  { id: 'csv', title: 'Tables (CSV)', test: (f) => /\.csv$/i.test(f.name) },
  { id: 'svg', title: 'Figures (SVG)', test: (f) => /\.svg$/i.test(f.name) },
  { id: 'json', title: 'Result (JSON)', test: (f) => /\.json$/i.test(f.name) },
  { id: 'methods', title: 'Methods', test: (f) => /\.md$/i.test(f.name) },
];

const DESCRIPTIONS = {
  'result.json': 'every number and setting',
  'signals.csv': 'one row per PT, every measure',
  'descriptive.csv': 'case characteristics with %',
  'age.csv': 'age summary',
  'listing.csv': 'the case listing (Table 9)',
  'matched_names.csv': 'drug names matched',
  'funnel.csv': 'deduplication funnel',
  'inputs.csv': 'files read, with SHA-256',
  'signals_by_soc.csv': 'signals per SOC (Table 3)',
  'methods.md': 'methods paragraph (Markdown)',
};

export const ZIP_NAME = 'faers-export.zip';

const bytesOf = (text) => new Blob([text]).size;

/** Renders the download buttons and the methods text of `files` into the exports panel `ui`. */
export function renderExports(ui, files) {
  const list = Array.isArray(files) ? files : [];
  const groups = GROUPS.map((g) => ({ ...g, files: list.filter(g.test) })).filter((g) => g.files.length);
  const other = list.filter((f) => !GROUPS.some((g) => g.test(f)));
  if (other.length) groups.push({ id: 'other', title: 'Other', files: other });
  ui.list.replaceChildren(...groups.map((g) => el(
    'div',
    { class: 'export-group', dataset: { group: g.id } },
    el('h4', { text: g.title }),
    el('ul', { class: 'export-files' }, g.files.map((f) => el(
      'li',
      {},
      el('button', {
        type: 'button', class: 'button export-file', dataset: { file: f.name },
        title: DESCRIPTIONS[f.name] ? `${f.name}: ${DESCRIPTIONS[f.name]}` : f.name,
        onclick: () => save(f.name, f.content, f.mime || 'application/octet-stream'),
      }, el('span', { class: 'export-name', text: f.name }), el('span', { class: 'export-size muted', text: fmtBytes(bytesOf(f.content)) })),
      DESCRIPTIONS[f.name] ? el('span', { class: 'export-desc muted', text: DESCRIPTIONS[f.name] }) : null,
    ))),
  )));
  ui.all.disabled = list.length === 0;
  ui.all.textContent = `Download all (${fmtInt(list.length)} files, zip)`;
  ui.all.onclick = () => save(ZIP_NAME, zipStored(list.map((f) => ({ name: f.name, content: f.content }))));
  const methods = list.find((f) => f.name === 'methods.md');
  ui.methods.value = methods ? methods.content : '';
  ui.copy.disabled = !methods;
  ui.copyStatus.textContent = '';
}

/** Copies the methods text: the clipboard API, else the text is selected for Ctrl+C. */
export async function copyMethods(ui) {
  const text = ui.methods.value;
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard API');
    await navigator.clipboard.writeText(text);
    ui.copyStatus.textContent = 'Copied to the clipboard.';
    ui.copyStatus.dataset.copied = 'clipboard';
  } catch {
    ui.methods.focus();
    ui.methods.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
    ui.copyStatus.textContent = copied ? 'Copied to the clipboard.' : 'The text is selected: press Ctrl+C (⌘C) to copy it.';
    ui.copyStatus.dataset.copied = copied ? 'selection' : 'selected';
  }
}
