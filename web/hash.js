// A file's SHA-256 from the browser's native implementation (several times faster than hashing
// in wasm), shared by the page and its workers.

/** Files up to this size are hashed from one copy in memory. */
export const HASH_WHOLE_UP_TO = 1024 * 1024 * 1024;

/** The SHA-256 in hex, or null where unavailable (plain-http hosting: no crypto.subtle) or the
 * file is too large to hold in memory at once; the engine then hashes it itself. */
export async function sha256Hex(blob) {
  if (!self.crypto?.subtle || blob.size > HASH_WHOLE_UP_TO) return null;
  try {
    return await sha256HexOf(await blob.arrayBuffer());
  } catch {
    return null;
  }
}

/** The SHA-256 in hex of bytes already in memory (an ArrayBuffer or a typed array); null where
 * crypto.subtle is unavailable. */
export async function sha256HexOf(bytes) {
  if (!self.crypto?.subtle) return null;
  try {
    const digest = await self.crypto.subtle.digest('SHA-256', bytes);
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}
