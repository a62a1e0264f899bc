// The study's figures, drawn by the engine as standalone SVG (the same bytes as the CLI's
// --export). Each is parsed as XML and imported as nodes: never as an HTML string.

import { el, save } from '../dom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

// File name -> caption; the order is the study's.
export const FIGURES = [
  ['ades_by_soc.svg', 'Figure 1a. Adverse events by System Organ Class (share of the drug’s report–PT pairs; needs MedDRA).'],
  ['ades_by_pt.svg', 'Figure 1b. Adverse events by preferred term: the most frequent PTs.'],
  ['time_to_onset.svg', 'Figure 2. Time to onset: cases by days from the start of the drug.'],
  ['forest.svg', 'Figure 3. Forest plot: ROR with its 95% CI for the strongest signals.'],
  ['reports_per_year.svg', 'Target reports per year (FDA’s receipt date of the kept version).'],
  ['volcano.svg', 'Volcano plot: ROR against its p-value, every PT; signals highlighted.'],
];

/**
 * The SVG text as an element of this document, or null. Scripts, foreign objects, event
 * handlers and external references are dropped (the engine writes none; this is a guard).
 */
export function svgNode(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
  for (const bad of [...root.querySelectorAll('script, foreignObject, iframe, style')]) bad.remove();
  for (const node of [root, ...root.querySelectorAll('*')]) {
    for (const attr of [...node.attributes]) {
      const name = attr.name.toLowerCase();
      const external = (name === 'href' || name === 'xlink:href') && !attr.value.startsWith('#');
      if (name.startsWith('on') || name === 'style' || external) node.removeAttribute(attr.name);
    }
  }
  const node = document.importNode(root, true);
  node.classList.add('figure-svg');
  node.setAttribute('focusable', 'false');
  return node;
}

function svgSize(text) {
  const node = svgNode(text);
  const w = Number(node?.getAttribute('width'));
  const h = Number(node?.getAttribute('height'));
  if (w > 0 && h > 0) return [w, h];
  const vb = (node?.getAttribute('viewBox') || '').split(/[\s,]+/).map(Number);
  return vb.length === 4 && vb[2] > 0 && vb[3] > 0 ? [vb[2], vb[3]] : [800, 600];
}

/** The SVG drawn at `scale`× into a canvas, as a PNG Blob (through a blob: URL image: CSP-safe). */
export async function svgToPng(text, scale = 2) {
  const [w, h] = svgSize(text);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new Error('the figure could not be drawn'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be made'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

const baseName = (name) => name.replace(/\.svg$/i, '');

/** One figure with its caption and its SVG and PNG buttons. */
function figureBlock(file, caption, onError) {
  const node = svgNode(file.content);
  const name = baseName(file.name);
  const status = el('span', { class: 'figure-status muted', role: 'status' });
  return el(
    'figure',
    { class: 'figure', dataset: { figure: file.name } },
    el('div', { class: 'figure-frame' }, node || el('p', { class: 'muted', text: 'This figure could not be read.' })),
    el(
      'figcaption',
      {},
      el('span', { class: 'figure-caption', text: caption }),
      el(
        'span',
        { class: 'figure-actions' },
        el('button', {
          type: 'button', class: 'button small', dataset: { format: 'svg' }, 'aria-label': `Download ${file.name}`, title: `Download ${file.name} (vector)`, text: 'SVG',
          onclick: () => save(file.name, file.content, file.mime || 'image/svg+xml'),
        }),
        el('button', {
          type: 'button', class: 'button small', dataset: { format: 'png' }, 'aria-label': `Download ${name}.png`, title: `Download ${name}.png (2× pixels)`, text: 'PNG',
          onclick: async (e) => {
            const button = e.currentTarget;
            button.disabled = true;
            status.textContent = 'Drawing…';
            try {
              save(`${name}.png`, await svgToPng(file.content, 2));
              status.textContent = '';
            } catch (err) {
              status.textContent = '';
              onError(`${name}.png: ${err.message}`);
            } finally {
              button.disabled = false;
            }
          },
        }),
        status,
      ),
    ),
  );
}

/** The SVG files of an export, in the study's order (unknown ones last). */
export function figureFiles(files) {
  const svgs = (files || []).filter((f) => /\.svg$/i.test(f.name));
  const rank = (f) => {
    const i = FIGURES.findIndex(([n]) => n === f.name);
    return i < 0 ? FIGURES.length : i;
  };
  return svgs.map((f, i) => ({ f, i })).sort((x, y) => rank(x.f) - rank(y.f) || x.i - y.i).map((x) => x.f);
}

/** Renders every figure of `files` into `node`. */
export function renderFigures(node, files, { meddra, onError }) {
  const list = figureFiles(files);
  const blocks = list.map((f) => {
    const known = FIGURES.find(([n]) => n === f.name);
    const caption = known ? known[1] : svgNode(f.content)?.querySelector('title')?.textContent || f.name;
    return figureBlock(f, caption, onError);
  });
  const notes = [];
  if (!meddra) {
    notes.push(el('p', { class: 'help figures-note', text: 'Figure 1a (adverse events by System Organ Class) needs your MedDRA files (step 1).' }));
  }
  node.replaceChildren(...notes, ...(blocks.length ? [el('div', { class: 'figure-grid' }, blocks)] : [el('p', { class: 'muted', text: 'No figures for this analysis.' })]));
}
