// The page's number formatting (web/format.js) that is not covered through the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DASH, fmtDuration } from '../../web/format.js';

test('a duration reads in milliseconds under a second and in seconds beyond', () => {
  assert.equal(fmtDuration(0.0404), '40 ms');
  assert.equal(fmtDuration(0), '1 ms'); // never "0 ms": it took some time
  assert.equal(fmtDuration(0.9994), '999 ms');
  assert.equal(fmtDuration(0.9996), '1.0 s'); // not "1000 ms"
  assert.equal(fmtDuration(2.44), '2.4 s');
  assert.equal(fmtDuration(9.949), '9.9 s');
  assert.equal(fmtDuration(9.96), '10 s'); // not "10.0 s"
  assert.equal(fmtDuration(61.4), '61 s');
  for (const bad of [undefined, null, NaN, -1, '2']) assert.equal(fmtDuration(bad), DASH);
});
