// The engine's memory in a browser tab. A wasm32 instance can address 4 GiB at most, and its
// memory only grows: what a read needed at its peak stays with the page. Loading more than fits
// must refuse the next file in words, not stop the engine (which would lose every loaded quarter).

/** WebAssembly memory a wasm32 instance can have: 65,536 pages of 64 KiB. */
export const WASM_LIMIT = 4 * 1024 ** 3;

/**
 * How much more memory reading a zip may take, per byte of zip: a full-size quarter (66 MB zipped)
 * took the engine from nothing to 230 MB, about 3.5x; later quarters reuse that working space and
 * add about half their zip's size (the store), so 4x errs on the safe side.
 */
export const READ_FACTOR = 4;

/** Adding a quarter from bytes (a snapshot, or a DRUG half to join) may take twice their size. */
export const BYTES_FACTOR = 2;

const gb = (bytes) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

/**
 * Null when `needed` more bytes fit beside the `used` ones, else why the file `name` is not added.
 */
export function roomError(name, used, needed, limit = WASM_LIMIT) {
  if (used + needed <= limit) return null;
  return `${name}: not enough memory left in this browser tab to add it. The engine holds ${gb(used)} of the `
    + `${gb(limit)} a tab's WebAssembly can use, and this file needs about ${gb(needed)} more. The quarters already `
    + 'loaded stay loaded and can be analysed; to analyse more quarters at once, use the command-line tool '
    + '(faers analyze), which has no such limit.';
}

/** Whether a trap of the engine was most likely the end of its memory. */
export function nearLimit(used, limit = WASM_LIMIT) {
  return used >= 0.9 * limit;
}
