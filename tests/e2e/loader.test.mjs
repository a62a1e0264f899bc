// The loader's split read (web/loader.js), with stand-ins for the workers: when the analysis
// worker is asked to compute the deduplication ahead of the join.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Loader } from '../../web/loader.js';

/** A promise with its resolve. */
function settable() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

/** A loader with stand-in workers; `calls` lists what the analysis worker was asked, in order. */
function splitLoader() {
  const calls = [];
  const main = settable();
  const drug = settable();
  const core = {
    wasmBytes: 0,
    readMain: (name, blob, onProgress, parts) => {
      calls.push(`readMain ${name}${parts ? ' with parts' : ''}`);
      return main.promise;
    },
    prepareAhead: (name) => { calls.push(`prepareAhead ${name}`); return Promise.resolve(null); },
    joinDrug: (name) => { calls.push(`joinDrug ${name}`); return Promise.resolve({ name }); },
    discard: (name) => { calls.push(`discard ${name}`); return Promise.resolve(null); },
  };
  const loader = new Loader(core, 2, { whileDrugReads: (name) => core.prepareAhead(name) });
  loader.partner = {
    busy: false,
    // It reads the file and hands the analysis worker its parts at once, then reads DRUG.
    client: {
      readDrug: (name, blob, onProgress, hash, onParts) => {
        onParts?.([{ at: 0, bytes: new Uint8Array(1) }]);
        return drug.promise;
      },
      terminate: () => {},
    },
  };
  // No new reader workers here (there is no Worker in node).
  loader.warm = () => {};
  const job = (name) => ({ name, blob: { size: 1 }, sha256: Promise.resolve('ab'.repeat(32)) });
  return { loader, calls, main, drug, job };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** Once the read is over: the timer that would start a fresh reader is not left running. */
async function stopped(loader) {
  await tick();
  clearTimeout(loader.warmTimer);
}

test('a split file whose main half is read first has the deduplication computed before its join', async () => {
  const { loader, calls, main, drug, job } = splitLoader();
  const read = loader.read(job('q.zip'));
  await tick();
  main.resolve({ name: 'q.zip' });
  await tick();
  assert.deepEqual(calls, ['readMain q.zip with parts', 'prepareAhead q.zip']);
  drug.resolve({ bytes: new Uint8Array(1), sha256: 'ab'.repeat(32) });
  assert.equal((await read).path, 'split');
  assert.deepEqual(calls, ['readMain q.zip with parts', 'prepareAhead q.zip', 'joinDrug q.zip']);
  await stopped(loader);
});

test('not when its DRUG half came first: the join goes at once', async () => {
  const { loader, calls, main, drug, job } = splitLoader();
  const read = loader.read(job('q.zip'));
  await tick();
  drug.resolve({ bytes: new Uint8Array(1), sha256: 'ab'.repeat(32) });
  await tick();
  main.resolve({ name: 'q.zip' });
  assert.equal((await read).path, 'split');
  assert.deepEqual(calls, ['readMain q.zip with parts', 'joinDrug q.zip']);
  await stopped(loader);
});

test('not while a file given before it is still to be added (the workspace would not be the one it is computed for)', async () => {
  const { loader, calls, main, drug, job } = splitLoader();
  const before = settable();
  // A file given earlier, not yet added: the split file's add waits for it.
  loader.lastAdd = before.promise;
  const read = loader.read(job('q.zip'));
  await tick();
  main.resolve({ name: 'q.zip' });
  await tick();
  assert.deepEqual(calls, ['readMain q.zip with parts']);
  before.resolve();
  drug.resolve({ bytes: new Uint8Array(1), sha256: 'ab'.repeat(32) });
  assert.equal((await read).path, 'split');
  assert.deepEqual(calls, ['readMain q.zip with parts', 'joinDrug q.zip']);
  await stopped(loader);
});
