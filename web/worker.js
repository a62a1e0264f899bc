// The page's Web Workers, each with its own wasm instance. One script, two roles (by the worker's
// `name`, given by the page when it starts the worker):
//   - the analysis worker ("faers-engine"): owns the wasm Workspace; every request runs here one
//     after another, in arrival order;
//   - reader workers ("faers-reader-N"): keep no data; they read a zip (or the DRUG table of a zip)
//     at the same time as the analysis worker and hand the bytes over (transferred, not copied);
//     a zip read to a snapshot waits in their Workspace only until the snapshot is made.
// Nothing here talks to the network: the page compiles our own `faers-wasm_bg.wasm` once and
// hands the module to every worker (see core-client.js), and network APIs are disabled here.
//
// First message (main -> worker), before any request: {type: 'module', module | error}.
// Protocol (main -> worker), every request carries a numeric `id`:
//   {id, type: 'add', name, blob, sha256?}          (sha256 omitted: hashed here)
//                                      -> {id, type: 'progress', done, total}*  then  {id, type: 'ok', value: summary}
//   {id, type: 'readWhole', name, blob, hash}      every table, kept until addRead (or snapshotRead)
//                                      -> progress*, {id, type: 'ok', value: {summary: so far, sha256}}
//                                      (hash: the file's SHA-256 too, from the bytes read; sha256
//                                      null when not asked for or unavailable)
//   {id, type: 'addRead', name, sha256, blob}      adds a file read by readWhole with its SHA-256
//                                      -> {id, type: 'ok', value: summary}
//   {id, type: 'readMain', name, blob, parts?}     every table but DRUG, kept until joinDrug (parts:
//                                      [{at, bytes}] of the file, from a reader's readDrug with share)
//                                      -> progress*, {id, type: 'ok', value: {summary: so far, parts}}
//                                      (the parts handed back, transferred, for the reader's partsBack)
//   {id, type: 'prepareAhead', name, options}  the deduplication of prepare, computed for the main
//                                      half `name` as it will be once joined, while DRUG is still read
//                                      -> {id, type: 'ok', value: null}
//   {id, type: 'joinDrug', name, bytes}   (bytes from a reader's readDrug) adds the file before its
//                                      hash is known (giveSha256 follows) -> {id, type: 'ok', value: summary};
//                                      value null when its quarter is loaded already: the file waits,
//                                      joined, for addRead with its hash (or discard)
//   {id, type: 'giveSha256', name, sha256, blob}   the hash of a file added by joinDrug
//                                      -> {id, type: 'ok', value: the hash given, or null when no file of
//                                      that name waits for one}
//   {id, type: 'discard', name}                    frees a file read but not to be added
//   (a null sha256 given to addRead, giveSha256 or snapshotRead is hashed here.)
//   {id, type: 'addSnapshot', bytes | blob}         (from a reader's snapshotRead, or the browser's storage)
//                                      -> {id, type: 'ok', value: summary}; damaged/outdated bytes -> error
//   {id, type: 'snapshot', quarter}    -> {id, type: 'ok', value: Uint8Array | null}  (transferred)
//   {id, type: 'memory'}               -> {id, type: 'ok', value: bytes of this worker's wasm memory}
//   {id, type: 'warmUp', name, blob, options}  -> {id, type: 'ok', value: null}  (reads a small zip every way,
//                                      analyses it with the page's options, then forgets it)
//   {id, type: 'prepare', options}     -> {id, type: 'ok', value: null}  (the deduplication ahead of a query)
//   {id, type: 'analyze', options}     -> {id, type: 'ok', value: result as JSON text}
//   {id, type: 'caseHistory', caseid, options}
//                                      -> {id, type: 'ok', value: {caseid, deleted_in, versions}}
//   {id, type: 'sensitivity', options, variants}   (variants null: the standard set)
//                                      -> {id, type: 'ok', value: {variants, rows, flipped}}
//   {id, type: 'clear'}                -> {id, type: 'ok', value: null}   (MedDRA stays loaded)
//   {id, type: 'meddraZip', name, blob}            -> {id, type: 'ok', value: {version, pts}}
//   {id, type: 'meddraFiles', names, blobs}        (the .asc files of a MedDRA ASCII release)
//                                      -> {id, type: 'ok', value: {version, pts}}
//   {id, type: 'meddraClear'}          -> {id, type: 'ok', value: null}
//   {id, type: 'exports'}              -> {id, type: 'ok', value: JSON text of [{name, mime, content}]}
//                                         (the files of the LAST analysis, the bytes of the CLI's --export)
//   {id, type: 'labelFile', name, blob}  (DailyMed's SPL zip or XML, or plain text)
//                                      -> {id, type: 'ok', value: label}
//   {id, type: 'labelText', name, text} -> {id, type: 'ok', value: label}
//   {id, type: 'labelClear'}           -> {id, type: 'ok', value: null}
// Reader workers answer only:
//   {id, type: 'readWhole', name, blob, hash}  (as above)
//   {id, type: 'snapshotRead', name, sha256, blob}  the file read by readWhole, with its SHA-256
//                                      (null: hashed here), as a snapshot; the reader keeps nothing
//                                      -> {id, type: 'ok', value: {summary, snapshot: Uint8Array | null}}
//   {id, type: 'discard', name}
//   {id, type: 'readDrug', name, blob, hash, share}  -> progress*, {id, type: 'half', bytes: Uint8Array
//                                      for joinDrug}, then {id, type: 'ok', value: {sha256}}
//                                      (hash: the file's SHA-256 too, from the bytes read for DRUG,
//                                      made once the half is handed over and, with share, the parts
//                                      are back (partsBack); sha256 null when not asked for or
//                                      unavailable; share: first {id, type: 'parts', parts: [{at, bytes}]
//                                      | null}, the parts readMain reads, read first, before DRUG's bytes)
//   {id, type: 'memory'}
//   {type: 'partsBack', parts | null}  not a request (no id, no answer): the parts a readDrug
//                                      handed over, back from readMain, to complete the file for
//                                      its hash (null: not coming; the file is read again)
//   any failure                        -> {id, type: 'error', message, crashed}
// Unsolicited (worker -> main): {type: 'ready', version} once the engine runs, or {type: 'fatal', message}.
// `crashed: true` means the wasm instance trapped (a Rust panic) and holds no usable data any more.

import init, { Workspace, mainHalfGap, readDrugHalf, sha256Of, version } from '../faers-wasm.js';
import { HASH_WHOLE_UP_TO, sha256Hex, sha256HexOf } from './hash.js';
import { BYTES_FACTOR, READ_FACTOR, nearLimit, roomError } from './memory.js';
import { buffersOf } from './parts.js';

const READER = String(self.name || '').startsWith('faers-reader');

const PROGRESS_INTERVAL_MS = 80;

let workspace = null;
let wasmMemory = null;
let crashed = null;

let moduleGiven;
const givenModule = new Promise((resolve, reject) => {
  moduleGiven = { resolve, reject };
});

const ready = (async () => {
  const exports = await init({ module_or_path: await givenModule });
  wasmMemory = exports.memory;
  // A reader's Workspace only holds a file read to a snapshot until the snapshot is made.
  workspace = new Workspace();
  disableNetwork();
  return version();
})();

ready.then(
  (v) => self.postMessage({ type: 'ready', version: v }),
  (e) => self.postMessage({ type: 'fatal', message: `The analysis engine could not start: ${describe(e)}` }),
);

// Requests run strictly one after another, after the engine is ready.
let queue = ready.catch(() => {});
self.onmessage = (event) => {
  const request = event.data;
  if (request && request.type === 'module') {
    if (request.module) moduleGiven.resolve(request.module);
    else moduleGiven.reject(new Error(request.error || 'the page could not compile it'));
    return;
  }
  // Not queued: the DRUG reader awaits these inside its readDrug request (see readSharing).
  if (request && request.type === 'partsBack') {
    partsBack?.(request.parts ?? null);
    partsBack = null;
    return;
  }
  queue = queue.then(() => handle(request));
};

// The parts of a split file a main half has read, handed back through the page: the DRUG
// reader completes the file for its hash from them (see readSharing).
let partsBack = null;

async function handle(request) {
  const { id, type } = request;
  try {
    await ready;
    if (crashed) throw new Error(crashed);
    let value;
    const transfer = [];
    if (READER && !['readWhole', 'snapshotRead', 'discard', 'readDrug', 'memory'].includes(type)) {
      throw new Error(`a reader worker does not do ${type}`);
    }
    switch (type) {
      case 'memory':
        value = wasmMemory ? wasmMemory.buffer.byteLength : 0;
        break;
      case 'snapshotRead': {
        const out = workspace.snapshotRead(request.name, await sha256For(request));
        const snapshot = out.snapshot || null;
        if (snapshot) transfer.push(snapshot.buffer);
        value = { summary: plain(out.summary), snapshot };
        break;
      }
      case 'readDrug': {
        const share = request.share
          ? (parts) => self.postMessage({ id, type: 'parts', parts }, buffersOf(parts))
          : null;
        const half = (bytes) => self.postMessage({ id, type: 'half', bytes }, [bytes.buffer]);
        value = { sha256: await readDrugThenHash(request, progressFor(id), share, half) };
        break;
      }
      case 'add': {
        ensureRoom(request.name, READ_FACTOR * request.blob.size);
        const sha256 = request.sha256 === undefined ? await sha256Hex(request.blob) : request.sha256;
        value = plain(workspace.addBlob(request.name, request.blob, progressFor(id), sha256));
        break;
      }
      case 'readWhole': {
        ensureRoom(request.name, READ_FACTOR * request.blob.size);
        const { file, sha256 } = hashedFile(request);
        value = { summary: plain(workspace.readBlob(request.name, file, progressFor(id))), sha256: await sha256 };
        break;
      }
      case 'warmUp':
        warmUp(request.name, request.blob, request.options);
        value = null;
        break;
      case 'addRead':
        value = plain(workspace.addRead(request.name, await sha256For(request)));
        break;
      case 'readMain': {
        ensureRoom(request.name, READ_FACTOR * request.blob.size);
        const summary = plain(workspace.readMainHalf(request.name, request.blob, progressFor(id), request.parts ?? undefined));
        // Read: handed back (transferred) for the DRUG reader's hash.
        const parts = request.parts ?? null;
        transfer.push(...buffersOf(parts));
        value = { summary, parts };
        break;
      }
      case 'prepareAhead':
        workspace.prepareAhead(request.name, request.options);
        value = null;
        break;
      case 'joinDrug':
        ensureRoom(request.name, BYTES_FACTOR * request.bytes.length);
        value = plain(workspace.joinDrugHalf(request.name, request.bytes));
        break;
      case 'giveSha256': {
        const sha256 = await sha256For(request);
        value = workspace.giveSha256(request.name, sha256) ? sha256 : null;
        break;
      }
      case 'discard':
        workspace.discardRead(request.name);
        value = null;
        break;
      case 'addSnapshot': {
        ensureRoom('A kept quarter', BYTES_FACTOR * (request.bytes ? request.bytes.length : request.blob.size));
        const bytes = request.bytes || new Uint8Array(await request.blob.arrayBuffer());
        value = plain(workspace.addSnapshot(bytes));
        break;
      }
      case 'snapshot': {
        const bytes = workspace.snapshot(request.quarter);
        value = bytes || null;
        if (bytes) transfer.push(bytes.buffer);
        break;
      }
      case 'prepare':
        workspace.prepare(request.options);
        value = null;
        break;
      case 'analyze': // JSON text, parsed by the page (see CoreClient.analyze)
        value = workspace.analyze(request.options);
        break;
      case 'caseHistory':
        value = plain(workspace.caseHistory(request.caseid, request.options));
        break;
      case 'sensitivity':
        value = plain(workspace.sensitivity(request.options, request.variants ?? null));
        break;
      case 'clear':
        workspace.clear();
        value = null;
        break;
      case 'meddraZip':
        value = plain(workspace.loadMeddraZip(request.name, request.blob));
        break;
      case 'meddraFiles':
        value = plain(workspace.loadMeddraFiles(request.names, request.blobs));
        break;
      case 'meddraClear':
        workspace.clearMeddra();
        value = null;
        break;
      case 'exports': // JSON text, as for analyze
        value = workspace.exports();
        break;
      case 'labelFile':
        value = plain(workspace.loadLabel(request.name, request.blob));
        break;
      case 'labelText':
        value = plain(workspace.loadLabelText(request.name, request.text));
        break;
      case 'labelClear':
        workspace.clearLabel();
        value = null;
        break;
      default:
        throw new Error(`unknown request type ${type}`);
    }
    self.postMessage({ id, type: 'ok', value, memory: wasmMemory ? wasmMemory.buffer.byteLength : 0 }, transfer);
  } catch (e) {
    let message = describe(e);
    if (e instanceof WebAssembly.RuntimeError) {
      crashed = wasmMemory && nearLimit(wasmMemory.buffer.byteLength)
        ? 'The analysis engine ran out of memory (a browser tab’s WebAssembly can use 4 GB). Reload the page and add fewer quarters, or use the command-line tool (faers analyze) for more.'
        : `The analysis engine stopped after an internal error (${message}). Reload the page and add the files again.`;
      message = crashed;
    }
    self.postMessage({ id, type: 'error', message, crashed: Boolean(crashed) });
  }
}

// The browser first runs WebAssembly on baseline code and optimises a function once it has run
// enough; a call already running (a quarter's long loops) stays on the baseline code. So a
// small zip is read here every way a reviewer's file can be (halves from parts and joined, with
// the deduplication ahead; whole; to a snapshot and back), and analysed with the page's options,
// in a scratch workspace: the code of all of them is compiled and optimised before the first
// real file (~0.1-0.2 s faster for a full quarter), and shared by the readers (one module). A
// trace of a full quarter showed ~300 functions first compiled after the drop while this
// warm-up did not read from parts, compute the deduplication ahead, use the page's options or
// make the exports.
function warmUp(name, blob, given) {
  const scratch = new Workspace();
  const sha256 = '0'.repeat(64);
  // The page's query (whatever it matches in this zip), and one that matches most of its reports.
  const broad = { ...(given || {}), drugs: ['a'] };
  const options = given?.drugs?.length ? given : broad;
  const progress = () => {};
  try {
    const file = readAll(blob);
    const gap = mainHalfGap(blob);
    const parts = gap
      ? [{ at: 0, bytes: file.subarray(0, gap[0]) }, { at: gap[1], bytes: file.subarray(gap[1]) }]
      : undefined;
    const drug = readDrugHalf(name, blob, progress, parts && [...parts, { at: gap[0], bytes: file.subarray(gap[0], gap[1]) }]);
    scratch.readMainHalf(name, blob, progress, parts);
    scratch.prepareAhead(name, options);
    scratch.joinDrugHalf(name, drug);
    scratch.giveSha256(name, sha256);
    scratch.prepare(options);
    scratch.analyze(broad);
    scratch.analyze(options);
    scratch.exports();
    scratch.clear();
    scratch.readBlob(name, blob, progress);
    scratch.addRead(name, sha256);
    scratch.clear();
    scratch.readBlob(name, blob, progress);
    const kept = scratch.snapshotRead(name, sha256).snapshot;
    if (kept) scratch.addSnapshot(kept);
  } finally {
    scratch.free();
  }
}

// Refuses, in words, a file that may not fit in what is left of the engine's memory.
function ensureRoom(name, needed) {
  const error = wasmMemory && roomError(name, wasmMemory.buffer.byteLength, needed);
  if (error) throw new Error(error);
}

/**
 * The file to read and its SHA-256 (a promise): asked to hash it (`request.hash`), the worker
 * reads the file once, hashes those bytes (natively: ~40 ms for a full quarter, on this thread
 * in Chromium, a trace shows) and reads the zip from them, so that the page
 * need not read it once more; else the Blob, and no hash.
 */
function hashedFile(request) {
  const blob = request.blob;
  if (!hashesHere(request)) return { file: blob, sha256: Promise.resolve(null) };
  const file = readAll(blob);
  return { file, sha256: sha256HexOf(file) };
}

/**
 * Reads a file's DRUG table, hands the half over (`half(bytes)`), and only then hashes the file
 * (when asked to): the hash is needed once the file is added, the half at once, and in Chromium
 * `crypto.subtle.digest` copies the bytes and digests them on this thread (~0.1 s for a full
 * quarter in a trace). Made now, while the analysis worker joins and the page draws the table,
 * instead of before the half: the table comes ~0.05 s sooner at the median (BENCHMARKS.md,
 * stop 18). Resolves to the hash, null when not asked for or unavailable. `share`: see
 * readSharing.
 */
async function readDrugThenHash(request, progress, share, half) {
  const blob = request.blob;
  if (!hashesHere(request)) {
    // Not read whole here: the analysis worker reads its parts itself.
    share?.(null);
    half(readDrugHalf(request.name, blob, progress, undefined));
    return null;
  }
  const read = share ? readSharing(blob, share) : wholeFile(readAll(blob));
  half(readDrugHalf(request.name, read.parts ? blob : read.bytes, progress, read.parts));
  return sha256HexOf(await read.file());
}

/** Whether a reader asked to hash the file (`request.hash`) can: the browser's native SHA-256
 * is at hand, and the file fits in memory at once. */
function hashesHere(request) {
  return Boolean(request.hash && self.crypto?.subtle && request.blob.size <= HASH_WHOLE_UP_TO);
}

/** A file read whole, as readSharing describes one. */
function wholeFile(bytes) {
  return { bytes, parts: undefined, file: () => Promise.resolve(bytes) };
}

function readAll(blob) {
  return new Uint8Array(new FileReaderSync().readAsArrayBuffer(blob));
}

/**
 * Reads a file whole, having first read, and handed over to `share` (to the analysis worker,
 * through the page), the parts its main half reads: all but DRUG's compressed bytes, which are
 * read last. The analysis worker starts on them while this worker still reads DRUG's (a full
 * quarter: about half the file, ~0.1 s sooner than after the whole file). Chromium's pipe
 * costs CPU for every byte, so the file is read once: the parts handed over are the bytes
 * read, and the whole file (for its hash) a copy of them and DRUG's.
 * Returns {parts, file()}: DRUG's half is read from `parts` (DRUG's bytes, and copies of the
 * few others it reads: DRUG's local header, the zip's directory) with the Blob; file() is a
 * promise of the whole file, made once the main half hands its parts back (the page does, when
 * it is read): copying them here before handing them over delayed both halves by ~20 ms. Parts
 * that do not come back (the main half failed) are read again.
 */
function readSharing(blob, share) {
  const gap = mainHalfGap(blob);
  if (gap) {
    const reader = new FileReaderSync();
    const read = (start, end) => new Uint8Array(reader.readAsArrayBuffer(blob.slice(start, end)));
    const head = read(0, gap[0]);
    const rest = read(gap[1], blob.size);
    if (head.length === gap[0] && rest.length === blob.size - gap[1]) {
      const returned = new Promise((resolve) => { partsBack = resolve; });
      const lead = head.slice(Math.max(0, head.length - PART_KEPT));
      const tail = rest.slice(Math.max(0, rest.length - PART_KEPT));
      share([{ at: 0, bytes: head }, { at: gap[1], bytes: rest }]);
      const drug = read(gap[0], gap[1]);
      // The parts handed over are of the file as it was: it cannot be read as it is now.
      if (drug.length !== gap[1] - gap[0]) throw new Error('the file changed while it was read; choose it again');
      const parts = [
        { at: gap[0] - lead.length, bytes: lead },
        { at: gap[0], bytes: drug },
        { at: blob.size - tail.length, bytes: tail },
      ];
      const file = async () => {
        const back = await returned;
        const whole = back?.length === 2
          && back[0].at === 0 && back[0].bytes?.length === gap[0]
          && back[1].at === gap[1] && back[1].bytes?.length === blob.size - gap[1];
        if (!whole) return readAll(blob);
        const bytes = new Uint8Array(blob.size);
        bytes.set(back[0].bytes, 0);
        bytes.set(drug, gap[0]);
        bytes.set(back[1].bytes, gap[1]);
        return bytes;
      };
      return { parts, file };
    }
  }
  // No DRUG table (or a file changed while read): the analysis worker gets a copy of it all.
  const bytes = readAll(blob);
  share([{ at: 0, bytes: bytes.slice() }]);
  return wholeFile(bytes);
}

/** Bytes kept of each end of DRUG's neighbours for reading DRUG: its local header (just before
 * its data) and the zip's directory (at the end; mainHalfGap looks for it in the last 128 KiB). */
const PART_KEPT = 256 * 1024;

// The SHA-256 the page computed, else the browser's own here, else the engine's.
async function sha256For(request) {
  return request.sha256 || (await sha256Hex(request.blob)) || sha256Of(request.blob);
}

// A progress callback for the engine that posts at most one message per PROGRESS_INTERVAL_MS.
function progressFor(id) {
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (now - last >= PROGRESS_INTERVAL_MS || done >= total) {
      last = now;
      self.postMessage({ id, type: 'progress', done: Number(done), total: Number(total) });
    }
  };
}

// The result must be exactly what the CLI writes as JSON. Convert whatever serde-wasm-bindgen produced
// to plain JSON data: Map -> object, BigInt -> number, undefined (an Option's None) -> null, as serde_json does.
function plain(value) {
  if (value === undefined || value === null) return null;
  return JSON.parse(
    JSON.stringify(value, function replacer(_key, v) {
      if (v === undefined) return null;
      if (v instanceof Map) return Object.fromEntries(v);
      if (typeof v === 'bigint') return Number(v);
      return v;
    }),
  );
}

function describe(e) {
  if (e instanceof Error) return e.message || String(e);
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

// Belt and braces: the engine needs no network, so the worker keeps none.
function disableNetwork() {
  const refuse = (what) =>
    function refused() {
      throw new Error(`${what} is disabled: this tool never sends data anywhere`);
    };
  for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'WebTransport', 'importScripts']) {
    if (name in self) {
      try {
        Object.defineProperty(self, name, { value: refuse(name), configurable: false, writable: false });
      } catch {
        /* not configurable in this browser: nothing else to do */
      }
    }
  }
  if (self.navigator && 'sendBeacon' in self.navigator) {
    try {
      Object.defineProperty(self.navigator, 'sendBeacon', { value: () => false });
    } catch {
      /* ignore */
    }
  }
}
