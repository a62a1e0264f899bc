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
