// Parts of a zip handed between workers as [{at, bytes}]: the split read's main half reads them
// (from the DRUG reader) and hands them back (for the reader's hash).

/** The ArrayBuffers to transfer with `parts` (null: none), each once: postMessage refuses a
 * transfer list that names a buffer twice, as two views of one buffer would. */
export function buffersOf(parts) {
  return parts ? [...new Set(parts.map((p) => p.bytes.buffer))] : [];
}
