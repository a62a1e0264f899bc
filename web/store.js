// The browser's storage of loaded quarters (IndexedDB database `faers`, store `snapshots`, one record
// per file keyed by the file's SHA-256): {sha256, name, quarter, size, version, bytes, added, data: Blob}.
// `data` is the engine's snapshot of the quarter, which the analysis worker adds back without reading
// the zip. Everything stays on this computer. Every operation runs after the previous one, so that
// "forget" cannot be overtaken by a write still under way.

const DB_NAME = 'faers';
const STORE = 'snapshots';

let opened = null;
let chain = Promise.resolve();

/** A short reason for a storage failure, for the page's one-line notice. */
export function storageReason(err) {
  const name = err && err.name;
  if (name === 'QuotaExceededError') return 'not enough storage space was granted';
  if (name === 'InvalidStateError' || name === 'SecurityError') return 'storage is not allowed here, e.g. in a private window';
  const msg = (err && err.message) || String(err || 'unknown error');
  return name && name !== 'Error' ? `${name}: ${msg}` : msg;
}

function open() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      let req;
      try {
        if (!self.indexedDB) throw new Error('this browser offers no IndexedDB');
        req = self.indexedDB.open(DB_NAME, 1);
      } catch (e) {
        reject(e);
        return;
      }
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'sha256' });
      };
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => db.close();
        resolve(db);
      };
      req.onerror = () => reject(req.error || new Error('the storage could not be opened'));
      req.onblocked = () => reject(new Error('the storage is held by another tab of this page'));
    });
    opened.catch(() => {});
  }
  return opened;
}

function run(mode, body) {
  const step = chain.then(async () => {
    const db = await open();
    return new Promise((resolve, reject) => {
      let t;
      let result;
      try {
        t = db.transaction(STORE, mode);
        const req = body(t.objectStore(STORE));
        if (req) req.onsuccess = () => { result = req.result; };
      } catch (e) {
        reject(e);
        return;
      }
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error || new Error('the storage refused the request'));
      t.onabort = () => reject(t.error || new Error('the storage refused the request'));
    });
  });
  chain = step.catch(() => {});
  return step;
}

/** Every stored record, oldest first. */
export async function list() {
  const all = (await run('readonly', (s) => s.getAll())) || [];
  return all.sort((a, b) => (a.added || 0) - (b.added || 0));
}

export function put(record) {
  return run('readwrite', (s) => s.put(record));
}

export function remove(sha256) {
  return run('readwrite', (s) => s.delete(sha256));
}

export function clearAll() {
  return run('readwrite', (s) => s.clear());
}
