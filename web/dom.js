// Small DOM helpers shared by the page and its panels. No inline styles or scripts: the page's
// Content-Security-Policy allows neither (styles are set through classes or the CSSOM).

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** An element with properties (class, text, dataset, on*, attributes) and children. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  // for…in and a recursive append, not Object.entries and flat(Infinity): a result's first
  // drawing makes a few thousand elements, and those two allocated for each of them.
  for (const k in props) {
    const v = props[k];
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k in node && typeof v !== 'string') node[k] = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  appendAll(node, children);
  return node;
}

/** Appends `children` (nodes, text, arrays of them at any depth; null, undefined and false are
 * skipped) to `node`. */
function appendAll(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) appendAll(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function showAlert(node, message) {
  node.replaceChildren(el('strong', { text: 'Error: ' }), document.createTextNode(message));
  node.hidden = false;
}

export function hideAlert(node) {
  node.hidden = true;
  node.replaceChildren();
}

/** Saves a Blob (or text) as a download named `filename`; nothing leaves the machine. */
export function save(filename, content, type) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "1 case", "2 cases". */
export function plural(n, one, many = `${one}s`) {
  return n === 1 ? one : many;
}
