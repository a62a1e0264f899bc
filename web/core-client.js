// Talks to one web/worker.js: the analysis worker, which owns the wasm Workspace, or a reader
// worker (`name` "faers-reader-N"), which reads zips and hands the bytes over. See worker.js for
// the message protocol.
//
// The engine's WebAssembly is compiled once for the page and handed to every worker: they share
// its code, and so the optimised code the browser makes of the parts that run most. (Each worker
// compiling its own copy would start every new reader on slow baseline code, and the browser
// never swaps a long loop already running onto the optimised code.)

import { buffersOf } from './parts.js';

let compiled = null;

/** The engine's compiled module, fetched and compiled once per page. */
export function engineModule() {
  if (!compiled) {
    compiled = (async () => {
      const url = new URL('../faers-wasm_bg.wasm', import.meta.url);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`faers-wasm_bg.wasm: HTTP ${response.status}`);
      try {
        return await WebAssembly.compileStreaming(response.clone());
      } catch (e) {
        // Served with another type than application/wasm: compiled from its bytes instead.
        if (!(e instanceof TypeError)) throw e;
        return WebAssembly.compile(await response.arrayBuffer());
      }
    })();
  }
  return compiled;
}

export class CoreClient {
  constructor({ onReady, onFatal, name = 'faers-engine' } = {}) {
    this.onReady = onReady || (() => {});
    this.onFatal = onFatal || (() => {});
    this.pending = new Map();
    this.nextId = 1;
    this.fatal = null;
    this.version = null;
    this.name = name;
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => {});
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name });
    this.worker.onmessage = (event) => this.receive(event.data);
    // The worker starts its engine once it has the module (or why there is none).
    engineModule().then(
      (module) => this.worker.postMessage({ type: 'module', module }),
      (e) => this.worker.postMessage({ type: 'module', error: String(e && e.message ? e.message : e) }),
    );
    this.worker.onerror = (event) => {
      // A module that fails to load (e.g. the wasm glue missing from the build) lands here.
      event.preventDefault?.();
      const detail = event.message || 'the worker script could not be loaded';
      this.fail(`The analysis engine could not start: ${detail}.`);
    };
    this.worker.onmessageerror = () => this.fail('The analysis engine sent a message that could not be read.');
  }

  receive(msg) {
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'ready') {
      this.version = msg.version;
      this.readyResolve(msg.version);
      this.onReady(msg.version);
      return;
    }
    if (msg.type === 'fatal') {
      this.fail(msg.message);
      return;
    }
    const entry = this.pending.get(msg.id);
    if (!entry) return;
    if (msg.type === 'progress') {
      entry.onProgress?.(msg.done, msg.total);
      return;
    }
    if (msg.type === 'parts') {
      entry.onParts?.(msg.parts);
      return;
    }
    if (msg.type === 'half') {
      entry.onHalf?.(msg.bytes);
      return;
    }
    this.pending.delete(msg.id);
    // The worker's wasm memory after each request: it only grows, so this is its peak so far.
    if (typeof msg.memory === 'number') this.wasmBytes = Math.max(this.wasmBytes || 0, msg.memory);
    if (msg.type === 'ok') entry.resolve(msg.value);
    else {
      const err = new Error(msg.message || 'unknown error');
      err.crashed = Boolean(msg.crashed);
      entry.reject(err);
      if (msg.crashed) this.fail(msg.message);
    }
  }

  fail(message) {
    if (this.fatal) return;
    this.fatal = message;
    this.readyReject(new Error(message));
    for (const entry of this.pending.values()) entry.reject(new Error(message));
    this.pending.clear();
    this.onFatal(message);
  }

  /** `steps`: {onParts, onHalf}, the callbacks of a readDrug's messages before its answer. */
  request(payload, onProgress, transfer = [], steps = {}) {
    if (this.fatal) return Promise.reject(new Error(this.fatal));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress, ...steps });
      this.worker.postMessage({ id, ...payload }, transfer);
    });
  }

  /** Stops the worker at once (whatever it is doing); pending requests reject with `err.cancelled`. */
  terminate(reason = 'cancelled') {
    this.worker.terminate();
    if (this.fatal) return;
    this.fatal = reason;
    this.readyReject(new Error(reason));
    for (const entry of this.pending.values()) {
      const err = new Error(reason);
      err.cancelled = true;
      entry.reject(err);
    }
    this.pending.clear();
  }

  /**
   * Analysis worker: reads `blob` (a small zip) every way a file can be read, and analyses it, then
   * forgets it, so that the browser has optimised that code before a reviewer's first file comes.
   */
  warmUp(name, blob, options) {
    return this.request({ type: 'warmUp', name, blob, options });
  }

  /** Reads one zip; resolves with its input summary (which may carry `error`). `sha256` undefined: hashed in the worker. */
  add(name, blob, onProgress, sha256) {
    return this.request({ type: 'add', name, blob, sha256 }, onProgress);
  }

  /**
   * Reads every table of a zip; addRead (analysis worker) or snapshotRead (a reader) takes it on.
   * Resolves with {summary: so far, sha256}: with `hash`, the file's SHA-256 from the same read
   * (null when unavailable).
   */
  readWhole(name, blob, onProgress, hash = false) {
    return this.request({ type: 'readWhole', name, blob, hash }, onProgress);
  }

  /** Analysis worker: adds a file read by readWhole, with its SHA-256 (null: hashed there). */
  addRead(name, sha256, blob) {
    return this.request({ type: 'addRead', name, sha256, blob });
  }

  /** Analysis worker: reads every table but DRUG (a reader's readDrug); joinDrug adds the file.
   * `parts`: the file's bytes it reads, from the reader that read the file (transferred), or null.
   * Resolves with {summary: so far, parts}: the parts handed back once read (for partsBack). */
  readMain(name, blob, onProgress, parts = null) {
    return this.request({ type: 'readMain', name, blob, parts }, onProgress, buffersOf(parts));
  }

  /** Analysis worker: the deduplication a main half will need once joined (see prepare), computed
   * while its DRUG half is still being read. */
  prepareAhead(name, options) {
    return this.request({ type: 'prepareAhead', name, options });
  }

  /** Analysis worker: joins the DRUG half (transferred) to the main half and adds the file, before
   * its hash is known (giveSha256); resolves with its summary, or null when its quarter is loaded
   * already: it then waits for addRead with its hash, or discard. */
  joinDrug(name, bytes) {
    return this.request({ type: 'joinDrug', name, bytes }, null, [bytes.buffer]);
  }

  /** Analysis worker: the SHA-256 of a file added by joinDrug (null: hashed there from `blob`);
   * resolves with the hash given, or null when no file of that name waits for one. */
  giveSha256(name, sha256, blob) {
    return this.request({ type: 'giveSha256', name, sha256, blob });
  }

  /** Analysis worker: frees a file read by readWhole or readMain that will not be added. */
  discard(name) {
    return this.request({ type: 'discard', name });
  }

  /** Analysis worker: adds a quarter from its snapshot, a Uint8Array (transferred) or a Blob. */
  addSnapshot(bytesOrBlob) {
    if (bytesOrBlob instanceof Uint8Array) return this.request({ type: 'addSnapshot', bytes: bytesOrBlob }, null, [bytesOrBlob.buffer]);
    return this.request({ type: 'addSnapshot', blob: bytesOrBlob });
  }

  /** Analysis worker: a loaded quarter's snapshot (Uint8Array), or null. */
  snapshot(quarter) {
    return this.request({ type: 'snapshot', quarter });
  }

  /** The size in bytes of the worker's wasm memory. */
  memory() {
    return this.request({ type: 'memory' });
  }

  /**
   * Reader worker: the file read by readWhole, given its SHA-256 (null: hashed there), as a
   * snapshot; resolves with {summary, snapshot: Uint8Array | null}. The reader keeps nothing.
   */
  snapshotRead(name, sha256, blob) {
    return this.request({ type: 'snapshotRead', name, sha256, blob });
  }

  /**
   * Reader worker: reads only the DRUG table; `onHalf(bytes)` is given its half (a Uint8Array for
   * joinDrug) as soon as it is read; then resolves with {sha256}: with `hash`, the file's SHA-256
   * from the same read, made after the half (null when unavailable). `onParts(parts)`, when
   * given: called first, with the parts readMain reads ([{at, bytes}], or null when the reader
   * does not read the file whole).
   */
  readDrug(name, blob, onProgress, hash, onParts, onHalf) {
    return this.request({ type: 'readDrug', name, blob, hash, share: Boolean(onParts) }, onProgress, [], { onParts, onHalf });
  }

  /** Reader worker: the parts its readDrug handed over, back from readMain (null: they are not
   * coming), to complete the file for its hash. A message, not a request: there is no answer. */
  partsBack(parts) {
    if (this.fatal) return;
    this.worker.postMessage({ type: 'partsBack', parts }, buffersOf(parts));
  }

  /** Computes the deduplication the next query will need (while the reviewer types the drug). */
  prepare(options) {
    return this.request({ type: 'prepare', options });
  }

  /**
   * Resolves with the result object, rejects with a readable Error. The worker sends JSON text:
   * a string crosses between threads in one copy, where an object of thousands of rows is
   * cloned field by field.
   */
  analyze(options) {
    return this.request({ type: 'analyze', options }).then(JSON.parse);
  }

  /** Every version of one case and what the deduplication did with it (`options`: dedup, deleted, rule_dedup). */
  caseHistory(caseid, options) {
    return this.request({ type: 'caseHistory', caseid, options });
  }

  /** The analysis under several deduplication settings; `variants` null for the standard set. */
  sensitivity(options, variants = null) {
    return this.request({ type: 'sensitivity', options, variants });
  }

  clear() {
    return this.request({ type: 'clear' });
  }

  /** Loads the user's MedDRA release from a zip; resolves with {version, pts}. */
  meddraZip(name, blob) {
    return this.request({ type: 'meddraZip', name, blob });
  }

  /** Loads the user's MedDRA release from its .asc files (`names[i]` names `blobs[i]`). */
  meddraFiles(names, blobs) {
    return this.request({ type: 'meddraFiles', names, blobs });
  }

  /** Stops using MedDRA. */
  meddraClear() {
    return this.request({ type: 'meddraClear' });
  }

  /** The files of the last analysis: [{name, mime, content}] (result.json, CSVs, SVGs, methods.md). */
  exports() {
    return this.request({ type: 'exports' }).then(JSON.parse);
  }

  /** Reads the drug's label from a file (SPL zip or XML, or text); resolves with its summary. */
  labelFile(name, blob) {
    return this.request({ type: 'labelFile', name, blob });
  }

  /** Reads a label pasted as text; resolves with its summary. */
  labelText(name, text) {
    return this.request({ type: 'labelText', name, text });
  }

  /** Stops using the label. */
  labelClear() {
    return this.request({ type: 'labelClear' });
  }
}
