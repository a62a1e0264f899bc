// The loader's split read (web/loader.js), with stand-ins for the workers: when the analysis
// worker is asked to compute the deduplication ahead of the join.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Loader } from '../../web/loader.js';

/** A promise with its resolve and reject. */
function settable() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** A loader with stand-in workers; `calls` lists what the analysis worker was asked, in order. */
function splitLoader() {
  const calls = [];
  // What the reader was given back of the parts it handed over (for its hash).
  const back = [];
  const main = settable();
  const half = settable();
  const drug = settable();
  const core = {
    wasmBytes: 0,
    readMain: (name, blob, onProgress, parts) => {
      calls.push(`readMain ${name}${parts ? ' with parts' : ''}`);
      return main.promise;
    },
    prepareAhead: (name) => { calls.push(`prepareAhead ${name}`); return Promise.resolve(null); },
    joinDrug: (name) => { calls.push(`joinDrug ${name}`); return joined(name); },
    giveSha256: (name, sha256) => { calls.push(`giveSha256 ${name} ${sha256}`); return Promise.resolve(sha256); },
    addRead: (name, sha256) => { calls.push(`addRead ${name} ${sha256}`); return Promise.resolve({ name, error: 'already loaded' }); },
    discard: (name) => { calls.push(`discard ${name}`); return Promise.resolve(null); },
  };
  // What joinDrug answers: the summary, or null when the quarter is loaded already.
  let joined = (name) => Promise.resolve({ name });
  const loader = new Loader(core, 2, { whileDrugReads: (name) => core.prepareAhead(name) });
  loader.partner = {
    busy: false,
    // It reads the file and hands the analysis worker its parts at once, then reads DRUG.
    client: {
      readDrug: (name, blob, onProgress, hash, onParts, onHalf) => {
        onParts?.([{ at: 0, bytes: new Uint8Array(1) }]);
        // The half when it is read; the hash after it.
        half.promise.then(onHalf);
        return drug.promise;
      },
      partsBack: (parts) => { back.push(parts); },
      terminate: () => {},
    },
  };
  // No new reader workers here (there is no Worker in node).
  loader.warm = () => {};
  const job = (name) => ({ name, blob: { size: 1 }, sha256: Promise.resolve('ab'.repeat(32)) });
  return { loader, calls, back, main, half, drug, job, quarterLoaded: () => { joined = () => Promise.resolve(null); } };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** Once the read is over: the timer that would start a fresh reader is not left running. */
async function stopped(loader) {
  await tick();
  clearTimeout(loader.warmTimer);
}

test('a split file whose main half is read first has the deduplication computed before its join', async () => {
  const { loader, calls, main, half, job } = splitLoader();
  const read = loader.read(job('q.zip'));
  await tick();
  main.resolve({ name: 'q.zip' });
  await tick();
  assert.deepEqual(calls, ['readMain q.zip with parts', 'prepareAhead q.zip']);
  half.resolve(new Uint8Array(1));
  assert.equal((await read).path, 'split');
  assert.deepEqual(calls, ['readMain q.zip with parts', 'prepareAhead q.zip', 'joinDrug q.zip']);
  await stopped(loader);
});

test('not when its DRUG half came first: the join goes at once', async () => {
  const { loader, calls, main, half, job } = splitLoader();
  const read = loader.read(job('q.zip'));
  await tick();
  half.resolve(new Uint8Array(1));
  await tick();
  main.resolve({ name: 'q.zip' });
  assert.equal((await read).path, 'split');
  assert.deepEqual(calls, ['readMain q.zip with parts', 'joinDrug q.zip']);
  await stopped(loader);
});

test('not while a file given before it is still to be added (the workspace would not be the one it is computed for)', async () => {
  const { loader, calls, main, half, job } = splitLoader();
  const before = settable();
  // A file given earlier, not yet added: the split file's add waits for it.
  loader.lastAdd = before.promise;
  const read = loader.read(job('q.zip'));
  await tick();
  main.resolve({ name: 'q.zip' });
  await tick();
  assert.deepEqual(calls, ['readMain q.zip with parts']);
  before.resolve();
  half.resolve(new Uint8Array(1));
  assert.equal((await read).path, 'split');
  assert.deepEqual(calls, ['readMain q.zip with parts', 'joinDrug q.zip']);
  await stopped(loader);
});

test('a split file is added before its hash is made; the hash is given after, and the exports wait for it', async () => {
  const { loader, calls, back, main, half, drug, job } = splitLoader();
  const given = [];
  const read = loader.read({ ...job('q.zip'), onHashGiven: (sha256) => given.push(sha256) });
  await tick();
  half.resolve(new Uint8Array(1));
  // The main half, once read, hands its parts back to the reader, which hashes the file with them.
  const parts = [{ at: 0, bytes: new Uint8Array(1) }];
  main.resolve({ summary: { name: 'q.zip' }, parts });
  assert.deepEqual(await read, { summary: { name: 'q.zip' }, path: 'split', snapshot: null });
  let exportsMayGo = false;
  const waited = loader.hashesGiven().then(() => { exportsMayGo = true; });
  await tick();
  assert.equal(exportsMayGo, false, 'the hash is still being made');
  assert.deepEqual(calls, ['readMain q.zip with parts', 'joinDrug q.zip']);
  assert.deepEqual(back, [parts]);
  const reader = loader.partner;
  assert.equal(reader.busy, true, 'the reader is busy hashing, not stopped');
  // The reader's hash, once made, is given to the workspace, then to the page.
  drug.resolve({ sha256: 'cd'.repeat(32) });
  await waited;
  assert.deepEqual(calls, ['readMain q.zip with parts', 'joinDrug q.zip', `giveSha256 q.zip ${'cd'.repeat(32)}`]);
  assert.deepEqual(given, ['cd'.repeat(32)]);
  assert.equal(reader.busy, false, 'the reader is free once it has hashed');
  assert.equal(loader.partner, null, 'and stopped: nothing is left to read');
  await stopped(loader);
});

test('a main half that fails tells the reader its parts are not coming back', async () => {
  const { loader, back, main, half, job } = splitLoader();
  const read = loader.read(job('q.zip'));
  await tick();
  half.resolve(new Uint8Array(1));
  main.reject(new Error('q.zip: damaged'));
  await assert.rejects(read, /damaged/);
  assert.deepEqual(back, [null]);
  await stopped(loader);
});

test('a reader stopped after it handed over the half: the analysis worker hashes the file itself', async () => {
  const { loader, calls, main, half, drug, job } = splitLoader();
  const read = loader.read(job('q.zip'));
  await tick();
  half.resolve(new Uint8Array(1));
  main.resolve({ name: 'q.zip' });
  assert.equal((await read).path, 'split');
  drug.reject(Object.assign(new Error('cancelled'), { cancelled: true }));
  await loader.hashesGiven();
  assert.deepEqual(calls, ['readMain q.zip with parts', 'joinDrug q.zip', 'giveSha256 q.zip null']);
  await stopped(loader);
});

test('a split file whose quarter is loaded already waits for its hash: the same file is not added at all', async () => {
  const { loader, calls, main, half, drug, job, quarterLoaded } = splitLoader();
  quarterLoaded();
  const read = loader.read({ ...job('copy.zip'), sha256: drug.promise.then(() => ({ skip: true })) });
  await tick();
  half.resolve(new Uint8Array(1));
  main.resolve({ name: 'copy.zip' });
  await tick();
  assert.deepEqual(calls, ['readMain copy.zip with parts', 'joinDrug copy.zip']);
  drug.resolve({ sha256: 'ab'.repeat(32) });
  await assert.rejects(read, (e) => e.cancelled);
  await tick();
  assert.deepEqual(calls, ['readMain copy.zip with parts', 'joinDrug copy.zip', 'discard copy.zip']);
  await stopped(loader);
});

test('another file of a loaded quarter is added with its hash, and refused by the workspace', async () => {
  const { loader, calls, main, half, drug, job, quarterLoaded } = splitLoader();
  quarterLoaded();
  const read = loader.read({ ...job('other.zip'), sha256: drug.promise.then((d) => d.sha256) });
  await tick();
  half.resolve(new Uint8Array(1));
  main.resolve({ name: 'other.zip' });
  drug.resolve({ sha256: 'ef'.repeat(32) });
  assert.deepEqual((await read).summary, { name: 'other.zip', error: 'already loaded' });
  assert.deepEqual(calls, ['readMain other.zip with parts', 'joinDrug other.zip', `addRead other.zip ${'ef'.repeat(32)}`]);
  await stopped(loader);
});
