// A file's SHA-256 from the browser's native implementation (several times faster than hashing
// in wasm), shared by the page and its workers.

/** The SHA-256 in hex, or null where unavailable (plain-http hosting: no crypto.subtle) or the
 * file is too large to hold in memory at once; the engine then hashes it itself. */
export async function sha256Hex(blob) {
  if (!self.crypto?.subtle || blob.size > 1024 * 1024 * 1024) return null;
  try {
    const digest = await self.crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}
