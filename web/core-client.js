// Talks to web/worker.js, which owns the wasm Workspace. See worker.js for the message protocol.

export class CoreClient {
  constructor({ onReady, onFatal } = {}) {
    this.onReady = onReady || (() => {});
    this.onFatal = onFatal || (() => {});
    this.pending = new Map();
    this.nextId = 1;
    this.fatal = null;
    this.version = null;
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'faers-engine' });
    this.worker.onmessage = (event) => this.receive(event.data);
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
    this.pending.delete(msg.id);
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
    for (const entry of this.pending.values()) entry.reject(new Error(message));
    this.pending.clear();
    this.onFatal(message);
  }

  request(payload, onProgress) {
    if (this.fatal) return Promise.reject(new Error(this.fatal));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ id, ...payload });
    });
  }

  /** Reads one zip; resolves with its input summary (which may carry `error`). */
  add(name, blob, onProgress) {
    return this.request({ type: 'add', name, blob }, onProgress);
  }

  /** Resolves with the result object, rejects with a readable Error. */
  analyze(options) {
    return this.request({ type: 'analyze', options });
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
    return this.request({ type: 'exports' });
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
