// The built engine (dist's WebAssembly) read directly in node, for what the browser tests
// cannot reach cheaply: here, that the CRC-32 computed the WebAssembly way (ingest/crc32.rs,
// not the native code the cargo tests run) accepts every good member and names a bad one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZip, writeZip } from './zips.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.FAERS_DIST || join(here, '..', '..', 'dist'));
const DEMO = resolve(process.env.FAERS_DEMO || join(DIST, 'web', 'demo'));

const engine = await import(join(DIST, 'faers-wasm.js'));
engine.initSync({ module: readFileSync(join(DIST, 'faers-wasm_bg.wasm')) });

/** The summary of reading `bytes` as a zip named `name`. */
function read(name, bytes) {
  const workspace = new engine.Workspace();
  try {
    return workspace.readBlob(name, new Uint8Array(bytes), () => {});
  } finally {
    workspace.free();
  }
}

test('every member\'s CRC-32 is checked as the engine inflates it, stored or deflated', () => {
  const manifest = JSON.parse(readFileSync(join(DEMO, 'manifest.json'), 'utf8'));
  const members = readZip(join(DEMO, manifest.files[0].name));
  const drug = Object.keys(members).find((n) => /DRUG/i.test(n));
  // Long enough to be folded (more than 3006 words), and not a whole number of words.
  assert.ok(members[drug].length > 8 * 3006 && members[drug].length % 8 !== 0, `${drug}: ${members[drug].length} bytes`);
  const expected = read('original.zip', readFileSync(join(DEMO, manifest.files[0].name)));
  assert.equal(expected.error, null);
  for (const deflate of [false, true]) {
    const good = read('good.zip', writeZip(members, { deflate }));
    assert.equal(good.error, null, `deflate ${deflate}`);
    assert.deepEqual(good.tables, expected.tables);
    // One bit off in the CRC DRUG declares: the file is refused, naming the member.
    const crcs = { [drug]: (crc32(members[drug]) ^ 1) >>> 0 };
    const bad = read('bad.zip', writeZip(members, { deflate, crcs }));
    assert.match(bad.error, /bad\.zip/);
    assert.match(bad.error, new RegExp(drug.replace(/[./]/g, '\\$&')));
    assert.match(bad.error, /CRC-32 is [0-9a-f]{8} where the zip declares [0-9a-f]{8}/);
  }
});
