// The engine's memory guard (web/memory.js): which files are refused, and in what words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BYTES_FACTOR, READ_FACTOR, WASM_LIMIT, nearLimit, roomError } from '../../web/memory.js';

const MB = 1024 ** 2;

test('a full-size quarter fits until the engine nears the 4 GB of a wasm32 instance', () => {
  const zip = 66 * MB;
  assert.equal(WASM_LIMIT, 65536 * 64 * 1024);
  assert.equal(roomError('q.zip', 0, READ_FACTOR * zip), null);
  assert.equal(roomError('q.zip', 3600 * MB, READ_FACTOR * zip), null);
  const refused = roomError('faers_ascii_2024q3.zip', 3900 * MB, READ_FACTOR * zip);
  assert.match(refused, /^faers_ascii_2024q3\.zip: not enough memory left in this browser tab to add it\./);
  assert.match(refused, /holds 3\.8 GB of the 4\.0 GB/);
  assert.match(refused, /needs about 0\.3 GB more/);
  assert.match(refused, /already loaded stay loaded/);
  assert.match(refused, /faers analyze/);
  // Exactly at the limit still fits; one byte more does not.
  assert.equal(roomError('s', WASM_LIMIT - 10, 10), null);
  assert.notEqual(roomError('s', WASM_LIMIT - 10, 11), null);
  assert.ok(BYTES_FACTOR >= 1 && READ_FACTOR >= BYTES_FACTOR);
});

test('a trap near the limit is read as the end of memory', () => {
  assert.equal(nearLimit(0.95 * WASM_LIMIT), true);
  assert.equal(nearLimit(0.5 * WASM_LIMIT), false);
});

test('past 1.75 GB in the analysis worker, files are read by it alone (no reader on top of it)', async () => {
  const { Loader, SOLO_FROM, soloFrom } = await import('../../web/loader.js');
  assert.equal(SOLO_FROM, 1.75e9);
  // With a reader's 0.13-0.16 GB and one more quarter's store, the page stays under 2 GB.
  assert.ok(SOLO_FROM + 0.16e9 + 0.04e9 <= 2e9);
  assert.equal(soloFrom(''), SOLO_FROM);
  assert.equal(soloFrom('?solo-from-mb=0'), 0);
  assert.equal(soloFrom('?solo-from-mb=4000'), 4e9);
  assert.equal(soloFrom('?solo-from-mb=-1'), SOLO_FROM);
  assert.equal(soloFrom('?solo-from-mb=lots'), SOLO_FROM);
  const solo = (wasmBytes, workers = 2) => new Loader({ wasmBytes }, workers).solo;
  assert.equal(solo(0), false);
  assert.equal(solo(SOLO_FROM), false);
  assert.equal(solo(SOLO_FROM + 1), true);
  assert.equal(solo(0, 1), true, 'one worker always reads alone');
  assert.equal(new Loader({ wasmBytes: 10 * MB }, 2, { soloFrom: 0 }).solo, true);
});

test('past 1.75 GB, readers go on when the files still to add would pass 2 GB by themselves', async () => {
  const { Loader, SOLO_FROM, PAGE_CEILING, STORE_PER_ZIP_BYTE } = await import('../../web/loader.js');
  assert.equal(PAGE_CEILING, 2e9);
  // Below the 0.53-0.55 B per zip byte a store takes: the estimate errs towards reading alone.
  assert.ok(STORE_PER_ZIP_BYTE > 0 && STORE_PER_ZIP_BYTE < 0.53);
  const quarter = 59 * MB; // today's full-size zip
  const loader = (wasmBytes, zips, committed = 0) => {
    const l = new Loader({ wasmBytes }, 2);
    zips.forEach((size, i) => l.running.add({ job: { blob: { size } }, committed: i < committed, cancelled: false }));
    return l;
  };
  const used = SOLO_FROM + MB;
  // The end of the real history: a few quarters left, which fit within 2 GB with the analysis
  // worker alone.
  assert.equal(loader(used, [quarter, quarter, quarter]).solo, true);
  // 33 of today's quarters left (85 quarters of today's size): past 2 GB whatever the page does.
  const many = Array(33).fill(quarter);
  assert.equal(loader(used, many).solo, false);
  assert.equal(loader(SOLO_FROM, many).solo, false, 'below the threshold: readers as ever');
  // Files already handed to the workspace (their memory counted once added) or cancelled are not
  // still to add.
  assert.equal(loader(used, many, 30).solo, true);
  const cancelled = loader(used, many);
  for (const e of cancelled.running) e.cancelled = true;
  assert.equal(cancelled.solo, true);
  // One worker always reads alone.
  assert.equal(new Loader({ wasmBytes: used }, 1).solo, true);
});
