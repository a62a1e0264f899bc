// Reads zips with several Web Workers at once, each its own wasm instance: the analysis worker (which
// owns the Workspace) and up to W - 1 reader workers (the same worker.js, started as "faers-reader-N").
//
//   W = 1   the analysis worker reads each file itself (readWhole), one after another.
//   W >= 2  with several files waiting, every worker reads whole files: the analysis worker its
//           own (readWhole), the partner reader and the readers beyond it (W >= 3) to snapshots
//           (readWhole, then snapshotRead with the hash) that the analysis worker adds
//           (addSnapshot). A file a reader could not use is read again by the analysis worker
//           so that its error is recorded as a zip's would be. The last file waiting, when the
//           analysis worker and the partner are both free, is split between them: every table
//           but DRUG here (readMain), DRUG there (readDrug), then joinDrug with the bytes
//           transferred.
// Each file is hashed by the worker that reads it whole, from the bytes it reads anyway (the
// page would read the file once more): the analysis worker, a reader making a snapshot, or the
// reader of a split file's DRUG table. The job's onHash(sha256) hands that hash to the page, which
// checks it against the files loaded; the hash goes with the step that adds the file (a reader
// making a snapshot is given it back), except for a split file: its DRUG reader hands over the
// DRUG half first and hashes the file after, so the file is added before its hash is known and
// the hash given to it after (giveHash; the page's table is drawn meanwhile), unless its
// quarter is loaded already (then the hash decides, as for the others, before it is added).
// When the analysis worker reads alone (W = 1, or past the memory threshold), onHash(null) at
// the start lets the page hash the file on the core no worker uses, while it is read.
//
// Files are added to the workspace in the order they were given, whatever finishes first, and a
// file is either added whole or not at all: Cancel stops the readers at once (terminated; new ones
// start for the next files); a file whose add request has reached the analysis worker is kept.
// Readers are stopped when nothing is left to read, which frees their memory.
//
// Once the analysis worker's memory passes 1.75 GB (`?solo-from-mb=N` in the page's URL sets
// another threshold), it reads every file itself and no reader runs: a reader's own 0.1-0.2 GB
// on top of a nearly full analysis worker would take the page past 2 GB. The whole history since
// 2004 (24.8 M reports, about 1.9 GB in the analysis worker) passes it only for its last few
// quarters (BENCHMARKS.md). Reading alone is slower, so it is done only when it keeps the page
// within 2 GB: when the files still to add would take the analysis worker past 2 GB by
// themselves (more than the whole history, e.g. 85 quarters of today's size), readers go on.

import { CoreClient } from './core-client.js';

/** The number of workers: `?workers=N` (1-16) in the page's URL, else min(hardware threads, 4). */
export function poolSize(search = self.location ? self.location.search : '') {
  const asked = new URLSearchParams(search).get('workers');
  const n = Number(asked);
  if (asked !== null && Number.isInteger(n) && n >= 1 && n <= 16) return n;
  return Math.max(1, Math.min(self.navigator?.hardwareConcurrency || 1, 4));
}

/** The analysis worker's memory from which it reads alone (see above), in bytes. */
export const SOLO_FROM = 1.75e9;

/** `?solo-from-mb=N` in the page's URL (N MB, 0 or more), else SOLO_FROM. */
export function soloFrom(search = self.location ? self.location.search : '') {
  const asked = new URLSearchParams(search).get('solo-from-mb');
  const n = Number(asked);
  return asked !== null && asked !== '' && Number.isFinite(n) && n >= 0 ? n * 1e6 : SOLO_FROM;
}

/** The page's memory target for its WebAssembly: reading alone is worth it only below it. */
export const PAGE_CEILING = 2e9;

/**
 * What the analysis worker's memory grows by, at least, per byte of zip it adds: its store takes
 * 69.5-72.5 B per report and a full-size quarter's zip 131 B per report (0.53-0.55 B per byte).
 * A lower figure errs towards reading alone, which keeps the page within PAGE_CEILING.
 */
export const STORE_PER_ZIP_BYTE = 0.4;

/** How long after the last file the next partner reader is started. */
const WARM_AFTER_MS = 3000;

export class Cancelled extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.cancelled = true;
  }
}

export class Loader {
  /**
   * `core`: the analysis worker's CoreClient; `workers`: W; `soloFrom`: see SOLO_FROM;
   * `afterLastAdd()`: called as soon as the add step of the last file given is posted, so that
   * what the page asks next (the deduplication) is queued in the analysis worker behind it;
   * `whileDrugReads(name)`: called when the main half of the last file given, read split, is read
   * before its DRUG half, and every file before it is added: the analysis worker is free until
   * the DRUG half comes (the page has it compute the deduplication ahead).
   */
  constructor(core, workers, { soloFrom: solo = SOLO_FROM, afterLastAdd = null, whileDrugReads = null } = {}) {
    this.core = core;
    this.afterLastAdd = afterLastAdd;
    this.whileDrugReads = whileDrugReads;
    this.workers = Math.max(1, workers);
    this.soloFrom = solo;
    this.queue = [];
    this.mainBusy = false; // the analysis worker is reading (a main half, or a whole file when W = 1)
    this.partner = null; // {client, busy}: reads DRUG halves beside the analysis worker
    this.readers = []; // [{client, busy}]: read whole files to snapshots (W >= 3)
    this.readerSeq = 0;
    this.lastAdd = Promise.resolve(); // the add step of the last file given
    this.running = new Set();
    this.giving = new Set(); // hashes on their way to the analysis worker (giveHash)
    this.readerPeaks = []; // wasm memory of every reader started since resetPeaks()
  }

  /**
   * Reads one file. `job`: {name, blob, sha256, keepSnapshot, onProgress(done, total), onStart(path),
   * onHash(sha256), onHashGiven(sha256)}. `sha256` may be a promise (the page checks the hash
   * given by onHash, or hashes the file itself when that is null), resolving to the hex digest,
   * null (the engine hashes), or {skip: true} (not to be read: cancelled, already loaded). onHash
   * is called before `sha256` is awaited. A file read split may be added, and this resolve,
   * before its hash is known: onHashGiven(sha256) follows once the workspace has it.
   * Resolves with {summary, path, snapshot: Blob | null} (snapshot only when a reader made one and
   * keepSnapshot is set); rejects with a Cancelled error when cancelled before being added.
   */
  read(job) {
    const previous = this.lastAdd;
    let releaseAdd;
    const addDone = new Promise((r) => { releaseAdd = r; });
    this.lastAdd = addDone;
    const entry = { job, previous, releaseAdd, addDone, cancelled: false, committed: false };
    entry.promise = new Promise((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    entry.promise.catch(() => {}).finally(() => releaseAdd());
    this.queue.push(entry);
    this.running.add(entry);
    entry.promise.catch(() => {}).finally(() => {
      this.running.delete(entry);
      this.maybeStopReaders();
    });
    // Once the files given together are all queued: how a file is read depends on how many wait.
    if (!this.dispatchSoon) {
      this.dispatchSoon = true;
      queueMicrotask(() => {
        this.dispatchSoon = false;
        this.dispatch();
      });
    }
    return entry.promise;
  }

  /** Nothing queued or being read. */
  get idle() {
    return this.running.size === 0;
  }

  /**
   * The analysis worker reads alone: W = 1, or its memory has passed `soloFrom` and the files
   * still to add fit with it within PAGE_CEILING (past which reading alone would only be slower).
   */
  get solo() {
    if (this.workers === 1) return true;
    const used = this.core.wasmBytes || 0;
    return used > this.soloFrom && used + STORE_PER_ZIP_BYTE * this.bytesToAdd() <= PAGE_CEILING;
  }

  /** Zip bytes given and not yet handed to the workspace (queued or being read). */
  bytesToAdd() {
    let bytes = 0;
    for (const e of this.running) if (!e.committed && !e.cancelled) bytes += e.job.blob?.size || 0;
    return bytes;
  }

  dispatch() {
    if (this.solo) this.stopIdleReaders();
    while (this.queue.length) {
      if (this.solo) {
        if (this.mainBusy) return;
        this.whole(this.queue.shift());
        continue;
      }
      const partner = this.partnerReader();
      // The last file waiting, with the analysis worker and the partner free: split it.
      if (this.queue.length === 1 && !this.mainBusy && !partner.busy) {
        this.split(this.queue.shift(), partner);
        continue;
      }
      // More files: each worker reads whole files, which needs no join.
      if (!this.mainBusy) {
        this.whole(this.queue.shift());
        continue;
      }
      const reader = partner.busy ? this.idleReader() : partner;
      if (!reader) return;
      this.snapshot(this.queue.shift(), reader);
    }
  }

  newReader() {
    const client = new CoreClient({ name: `faers-reader-${++this.readerSeq}` });
    const r = { client, busy: false };
    this.readerPeaks.push(client);
    return r;
  }

  partnerReader() {
    if (!this.partner || this.partner.client.fatal) this.partner = this.newReader();
    return this.partner;
  }

  idleReader() {
    this.readers = this.readers.filter((r) => !r.client.fatal);
    const idle = this.readers.find((r) => !r.busy);
    if (idle) return idle;
    if (this.readers.length < this.workers - 2) {
      const r = this.newReader();
      this.readers.push(r);
      return r;
    }
    return null;
  }

  /**
   * Starts the partner reader before it is needed (W >= 2): a worker and its wasm instance take
   * about 0.1 s to start, which would otherwise delay the first file's DRUG half.
   */
  warm() {
    if (!this.solo) this.partnerReader();
  }

  /** Stops the readers that are not reading (a reader busy with a file finishes it first). */
  stopIdleReaders() {
    this.stopReaders((r) => !r.busy, 'stopped: the analysis worker reads alone');
  }

  /** Stops (terminates and forgets) the partner and readers that `which` picks. */
  stopReaders(which, reason) {
    for (const r of [this.partner, ...this.readers]) if (r && which(r)) r.client.terminate(reason);
    if (this.partner && which(this.partner)) this.partner = null;
    this.readers = this.readers.filter((r) => !which(r));
  }

  /**
   * Stops the readers when nothing is left to read: their wasm memory, which only grows, is
   * freed. A fresh partner (a few MB) waits for the next file.
   */
  maybeStopReaders() {
    if (this.queue.length || [this.partner, ...this.readers].some((r) => r && r.busy)) return;
    if (![this.partner, ...this.readers].some((r) => r && r.used)) return;
    this.stopReaders((r) => r.used, 'stopped: nothing left to read');
    // Not at once: starting a worker would compete with the query that usually follows.
    clearTimeout(this.warmTimer);
    this.warmTimer = setTimeout(() => {
      if (!this.partner) this.warm();
    }, WARM_AFTER_MS);
  }

  /** The file's SHA-256 for the engine (undefined: it hashes); null when the file is not to be read. */
  async hash(entry) {
    const h = await entry.job.sha256;
    if (entry.cancelled || (h && h.skip)) {
      if (!entry.cancelled) {
        entry.cancelled = true;
        entry.reject(new Cancelled('not read'));
      }
      return null;
    }
    return { sha256: h ?? undefined };
  }

  /**
   * Gives the analysis worker the hash of a split file added without it (joinDrug): the DRUG
   * reader's, once made (`readerHash`; null, e.g. the reader stopped by a cancel: the analysis
   * worker hashes the file). job.onHashGiven(sha256) tells the page.
   */
  giveHash(job, readerHash) {
    const given = readerHash
      .then((sha256) => this.core.giveSha256(job.name, sha256, job.blob))
      .then((sha256) => {
        if (sha256) job.onHashGiven?.(sha256);
      }, () => {});
    this.giving.add(given);
    given.finally(() => this.giving.delete(given));
  }

  /** Resolves once the hashes of the files added so far are given (the exports list them). */
  async hashesGiven() {
    while (this.giving.size) await Promise.allSettled([...this.giving]);
  }

  /** Posts the step that adds the file to the workspace, after the files given before it. */
  async commit(entry, add) {
    await entry.previous;
    if (entry.cancelled) throw new Cancelled();
    entry.committed = true;
    const added = add();
    // No file given after this one: the worker goes on to what the page asks next without
    // waiting for this add's answer to reach the page.
    if (this.lastAdd === entry.addDone) this.afterLastAdd?.();
    return added;
  }

  progress(entry, parts) {
    let done = 0;
    let total = 0;
    for (const p of parts) {
      done += p.done;
      total += p.total;
    }
    entry.job.onProgress?.(done, total);
  }

  part(entry, parts) {
    const p = { done: 0, total: 0 };
    parts.push(p);
    return (done, total) => {
      p.done = done;
      p.total = total;
      this.progress(entry, parts);
    };
  }

  async whole(entry) {
    const { job } = entry;
    this.mainBusy = true;
    job.onStart?.('whole');
    // Read alone, the file is hashed by the page on the core no worker uses; beside a reader,
    // by the analysis worker from the bytes it reads.
    const workerHashes = !this.solo;
    if (!workerHashes) job.onHash?.(null);
    let read = false;
    try {
      const { sha256 } = await this.core.readWhole(job.name, job.blob, this.part(entry, []), workerHashes);
      read = true;
      if (workerHashes) job.onHash?.(sha256 ?? null);
      const h = await this.hash(entry);
      if (!h) return;
      const summary = await this.commit(entry, () => this.core.addRead(job.name, h.sha256 ?? null, job.blob));
      entry.resolve({ summary, path: 'whole', snapshot: null });
      read = false;
    } catch (e) {
      entry.reject(entry.cancelled ? new Cancelled() : e);
    } finally {
      // Read but not added (cancelled, already loaded, failed): its memory is freed.
      if (read) await this.core.discard(job.name).catch(() => {});
      this.mainBusy = false;
      this.dispatch();
    }
  }

  async split(entry, partner) {
    const { job } = entry;
    this.mainBusy = true;
    partner.busy = true;
    partner.used = true;
    job.onStart?.('split');
    const parts = [];
    // The DRUG reader reads the file whole (to hash it), the parts the main half reads first, and
    // hands them to the analysis worker at once: reading them from the file there too, at the same
    // time, slowed both reads (Chromium's pipe from a file costs CPU per byte).
    let shareParts;
    const shared = new Promise((r) => { shareParts = r; });
    // Then it hands over the DRUG half, and only then hashes the file: the file is added, analysed
    // and drawn while it does (giveHash).
    let halfRead;
    const half = new Promise((resolve, reject) => { halfRead = { resolve, reject }; });
    const drug = partner.client.readDrug(job.name, job.blob, this.part(entry, parts), true, shareParts, halfRead.resolve);
    drug.then(() => halfRead.reject(new Error(`${job.name}: its DRUG table was not handed over`)), halfRead.reject);
    // The reader's hash; null when it has none (no crypto.subtle, or stopped by a cancel).
    const readerHash = drug.then((d) => d.sha256 ?? null, () => null);
    readerHash.then((sha256) => job.onHash?.(sha256));
    drug.catch(() => {}).finally(() => {
      partner.busy = false;
      this.maybeStopReaders();
      this.dispatch();
    });
    // Once DRUG is read (or failed) with no parts handed over, the analysis worker reads its own.
    let drugRead = false;
    const drugDone = () => {
      drugRead = true;
      shareParts(null);
    };
    half.then(drugDone, drugDone);
    const mainProgress = this.part(entry, parts);
    const main = shared.then((fileParts) => {
      if (entry.cancelled) throw new Cancelled();
      return this.core.readMain(job.name, job.blob, mainProgress, fileParts);
    });
    main.catch(() => {});
    // Read, they go back to the DRUG reader, which completes the file for its hash from them.
    main.then((out) => partner.client.partsBack(out?.parts ?? null), () => partner.client.partsBack(null));
    let previousAdded = false;
    entry.previous.then(() => { previousAdded = true; });
    main.then(() => {
      if (!drugRead && previousAdded && !entry.cancelled && this.lastAdd === entry.addDone) this.whileDrugReads?.(job.name);
    }, () => {});
    let joined = false;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.mainBusy = false;
      this.dispatch();
    };
    try {
      const drugBytes = await half;
      await main;
      // The join is posted (and so queued in the analysis worker) before its next read.
      let summary = await this.commit(entry, () => {
        joined = true;
        const join = this.core.joinDrug(job.name, drugBytes);
        release();
        return join;
      });
      if (summary === null) {
        // Its quarter is loaded already: its hash tells whether it is that very file (not added
        // at all; the page says it is loaded) or another file of that quarter (refused).
        const h = await this.hash(entry);
        if (!h) {
          await this.core.discard(job.name).catch(() => {});
          return;
        }
        summary = await this.core.addRead(job.name, h.sha256 ?? null, job.blob);
      } else {
        this.giveHash(job, readerHash);
      }
      entry.resolve({ summary, path: 'split', snapshot: null });
    } catch (e) {
      entry.reject(entry.cancelled ? new Cancelled() : e);
    } finally {
      if (!joined) {
        // Not to be added (cancelled, already loaded, or its DRUG half failed): the main half is
        // discarded once read, never joined, and its memory freed.
        await main.catch(() => {});
        await this.core.discard(job.name).catch(() => {});
      }
      release();
    }
  }

  async snapshot(entry, reader) {
    const { job } = entry;
    reader.busy = true;
    reader.used = true;
    job.onStart?.('snapshot');
    try {
      let out;
      let read = false;
      try {
        const own = (await reader.client.readWhole(job.name, job.blob, this.part(entry, []), true)).sha256 ?? null;
        read = true;
        job.onHash?.(own);
        // With the hash it made, the reader makes the snapshot at once and is free for the next
        // file; whether the file is already loaded is known once the files before it are hashed.
        // Without (no crypto.subtle here), it waits for the page's.
        const given = own ? { sha256: own } : await this.hash(entry);
        if (!given) return;
        out = await reader.client.snapshotRead(job.name, given.sha256 ?? null, job.blob);
        read = false;
      } finally {
        // Read but not to be added (cancelled, already loaded): the reader frees it.
        if (read) await reader.client.discard(job.name).catch(() => {});
        reader.busy = false;
        this.dispatch();
      }
      // Already loaded or cancelled: the snapshot is dropped.
      const h = await this.hash(entry);
      if (!h) return;
      if (entry.cancelled) throw new Cancelled();
      if (!out.snapshot) {
        // Not usable: the analysis worker reads it again so that its summary (with the error) is
        // among the workspace's inputs, exactly as when one worker reads everything.
        const summary = await this.commit(entry, () => this.core.add(job.name, job.blob, null, h.sha256));
        entry.resolve({ summary, path: 'whole', snapshot: null });
        return;
      }
      const kept = job.keepSnapshot ? new Blob([out.snapshot]) : null;
      const summary = await this.commit(entry, () => this.core.addSnapshot(out.snapshot));
      entry.resolve({ summary, path: 'snapshot', snapshot: kept });
    } catch (e) {
      entry.reject(entry.cancelled ? new Cancelled() : e);
    }
  }

  /**
   * Cancels every file not yet handed to the workspace; returns the number cancelled. Readers are
   * terminated at once. Resolves when the analysis worker holds no half-read file of ours any more.
   */
  cancel() {
    let n = 0;
    for (const entry of this.running) {
      if (entry.committed) continue;
      entry.cancelled = true;
      entry.reject(new Cancelled());
      n += 1;
    }
    this.queue = this.queue.filter((e) => !e.cancelled);
    for (const r of [this.partner, ...this.readers]) if (r) r.client.terminate('cancelled');
    this.partner = null;
    this.readers = [];
    this.warm();
    return n;
  }

  /** Resolves when every file given so far is added, failed or cancelled. */
  async settled() {
    while (this.running.size) {
      await Promise.allSettled([...this.running].map((e) => e.promise));
    }
    // A main half still being read after a cancel.
    while (this.mainBusy) await new Promise((r) => setTimeout(r, 20));
  }

  /** Wasm memory in bytes: the analysis worker's, and the peak of every reader since resetPeaks(). */
  memory() {
    return {
      analysis: this.core.wasmBytes || 0,
      readers: this.readerPeaks.map((c) => ({ name: c.name, bytes: c.wasmBytes || 0 })),
    };
  }

  resetPeaks() {
    this.readerPeaks = [...[this.partner, ...this.readers].filter(Boolean).map((r) => r.client)];
  }
}
