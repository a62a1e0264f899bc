//! The page's binding to [`faers_core`]: one class, [`Workspace`], used from a Web Worker.
//!
//! Options come in and results go out through serde; the only code here is the adapter that
//! lets the core read a `Blob` (a dropped `File`, or demo data fetched from the same origin)
//! as `Read + Seek`, slice by slice with `FileReaderSync`, so that a multi-gigabyte file is
//! never copied into memory and never leaves the machine. There is no analysis logic here.
#![deny(missing_docs)]

mod blob_reader;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use blob_reader::BlobReader;

/// The one error conversion: any displayable error becomes a JS `Error` with its message.
fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// `on_progress(done, total)` as the core's progress callback; a failing JS callback must
/// not abort the read, so its error is dropped.
fn progress_of(on_progress: &js_sys::Function) -> impl FnMut(u64, u64) + '_ {
    move |done: u64, total: u64| {
        let _ = on_progress.call2(
            &JsValue::NULL,
            &JsValue::from_f64(done as f64),
            &JsValue::from_f64(total as f64),
        );
    }
}

/// A `Blob` as a buffered `Read + Seek` (see [`BlobReader`]).
fn buffered(blob: web_sys::Blob) -> Result<std::io::BufReader<BlobReader>, JsError> {
    Ok(with_buffer(BlobReader::new(blob).map_err(js_error)?))
}

/// The zip reader's many small reads become few multi-megabyte copies.
fn with_buffer(reader: BlobReader) -> std::io::BufReader<BlobReader> {
    std::io::BufReader::with_capacity(4 << 20, reader)
}

/// A file given as a `Blob`, or as its bytes (a `Uint8Array`) when the worker has read them
/// already (to hash them), as a buffered `Read + Seek`.
fn file_reader(file: JsValue) -> Result<std::io::BufReader<BlobReader>, JsError> {
    match file.dyn_into::<js_sys::Uint8Array>() {
        Ok(bytes) => Ok(with_buffer(BlobReader::from_bytes(bytes))),
        // As a `web_sys::Blob` parameter would be: not checked here (the page gives a `File`).
        Err(file) => buffered(file.unchecked_into()),
    }
}

/// `[{at, bytes}]` (parts of a file: an offset and a `Uint8Array`) as pairs.
fn parts_of(parts: &JsValue) -> Result<Vec<(u64, js_sys::Uint8Array)>, JsError> {
    let list: &js_sys::Array = parts.unchecked_ref();
    let mut out = Vec::with_capacity(list.length() as usize);
    for part in list.iter() {
        let at = js_sys::Reflect::get(&part, &"at".into())
            .ok()
            .and_then(|v| v.as_f64())
            .filter(|at| *at >= 0.0)
            .ok_or_else(|| JsError::new("a part of the file has no offset"))?;
        let bytes = js_sys::Reflect::get(&part, &"bytes".into())
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
            .ok_or_else(|| JsError::new("a part of the file has no bytes"))?;
        out.push((at as u64, bytes));
    }
    Ok(out)
}

/// A small `Blob` (a label, a MedDRA file) as bytes; errors name the file.
fn bytes_of(name: &str, blob: web_sys::Blob) -> Result<Vec<u8>, JsError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    BlobReader::new(blob)
        .map_err(js_error)?
        .read_to_end(&mut bytes)
        .map_err(|e| js_error(format!("{name}: {e}")))?;
    Ok(bytes)
}

fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_error)
}

/// The tool's version.
#[wasm_bindgen]
pub fn version() -> String {
    faers_core::VERSION.to_owned()
}

/// A file's SHA-256 in hex, hashed here: for browsers without `crypto.subtle` (a page
/// served over plain http).
#[wasm_bindgen(js_name = sha256Of)]
pub fn sha256_of(blob: web_sys::Blob) -> Result<String, JsError> {
    let (sha, _) = faers_core::ingest::sha256_hex(&mut buffered(blob)?).map_err(js_error)?;
    Ok(sha)
}

/// The bytes of a zip that [`Workspace::read_main_half`] never reads, as `[start, end]`, or
/// `undefined` (see `faers_core::ingest::main_half_gap`): the worker that reads the file
/// hands the analysis worker the rest. `file` is the `Blob` (its directory is read, and
/// DRUG's local header) or its bytes as a `Uint8Array`.
#[wasm_bindgen(js_name = mainHalfGap)]
pub fn main_half_gap(file: JsValue) -> Result<Option<Vec<f64>>, JsError> {
    let gap = match file.dyn_into::<js_sys::Uint8Array>() {
        Ok(bytes) => faers_core::ingest::main_half_gap(&mut BlobReader::from_bytes(bytes)),
        Err(blob) => BlobReader::skipping(blob.unchecked_into(), faers_core::ingest::main_half_gap)
            .map_err(js_error)?
            .gap(),
    };
    Ok(gap.map(|gap| vec![gap.start as f64, gap.end as f64]))
}

/// Reads only the DRUG table of a zip, for a second worker sharing one file with the
/// analysis worker ([`Workspace::read_main_half`], [`Workspace::join_drug_half`]). `file`
/// is the `Blob`, or its bytes as a `Uint8Array` when the worker has read them already (to
/// hash them). `parts`: bytes of the file the worker has read already, as `[{at, bytes}]`
/// (the first part holding an offset serves it), with `file` the `Blob`; else `undefined`.
/// Returns the DRUG half as bytes (a `Uint8Array` to transfer).
#[wasm_bindgen(js_name = readDrugHalf)]
pub fn read_drug_half(
    name: &str,
    file: JsValue,
    on_progress: &js_sys::Function,
    parts: JsValue,
) -> Result<Vec<u8>, JsError> {
    let mut progress = progress_of(on_progress);
    let reader = if parts.is_undefined() || parts.is_null() {
        file_reader(file)?
    } else {
        with_buffer(
            BlobReader::with_parts(file.unchecked_into(), parts_of(&parts)?).map_err(js_error)?,
        )
    };
    Ok(faers_core::ingest::read_drug_half(
        name,
        reader,
        &mut progress,
    ))
}

/// Loaded FAERS quarters, held inside the worker.
#[wasm_bindgen]
#[derive(Default)]
pub struct Workspace {
    inner: faers_core::Workspace,
    /// The last analysis, so that exports render exactly the view on screen.
    last: std::cell::RefCell<Option<faers_core::AnalysisResult>>,
    /// Files read, by name, waiting for their SHA-256 (the page hashes while the engine
    /// reads) and, for a main half, for its DRUG half from another worker.
    pending: std::collections::HashMap<String, Pending>,
}

/// A read waiting to be added. One or two wait at a time: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Pending {
    /// Every table: waits for the file's hash ([`Workspace::add_read`]).
    Whole(
        faers_core::InputSummary,
        Option<faers_core::store::QuarterData>,
    ),
    /// Every table but DRUG: waits for DRUG and the hash ([`Workspace::join_drug_half`]).
    MainHalf(faers_core::ingest::PendingQuarter),
}

impl Workspace {
    fn take_pending(&mut self, name: &str) -> Result<Pending, JsError> {
        self.pending
            .remove(name)
            .ok_or_else(|| JsError::new(&format!("{name}: it was not read")))
    }

    /// Gives the file its hash and adds it (or records why it cannot be).
    fn add_hashed(
        &mut self,
        mut summary: faers_core::InputSummary,
        data: Option<faers_core::store::QuarterData>,
        sha256: &str,
    ) -> Result<JsValue, JsError> {
        faers_core::ingest::give_sha256(&mut summary, sha256).map_err(js_error)?;
        to_js(self.inner.add_read(summary, data))
    }

    fn use_meddra(&mut self, meddra: faers_core::meddra::Meddra) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Loaded {
            version: Option<String>,
            pts: usize,
        }
        let loaded = Loaded {
            version: meddra.version.clone(),
            pts: meddra.pt_count(),
        };
        self.inner.set_meddra(Some(meddra));
        to_js(&loaded)
    }
}

#[wasm_bindgen]
impl Workspace {
    /// An empty workspace.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// Reads one zip from a `Blob` or `File` (worker only: uses `FileReaderSync`).
    /// `on_progress(done, total)` is called as table bytes are inflated. `sha256`, when
    /// given, is the file's SHA-256 in hex as computed by the browser (`crypto.subtle` is
    /// native and several times faster than hashing in wasm); otherwise the core hashes.
    /// Returns the file's summary (an `inputs[]` entry); an unusable file has its `error` set.
    #[wasm_bindgen(js_name = addBlob)]
    pub fn add_blob(
        &mut self,
        name: &str,
        blob: web_sys::Blob,
        on_progress: &js_sys::Function,
        sha256: Option<String>,
    ) -> Result<JsValue, JsError> {
        let mut progress = progress_of(on_progress);
        let summary = self
            .inner
            .add_zip_hashed(name, buffered(blob)?, sha256, &mut progress);
        to_js(summary)
    }

    /// Reads a zip without adding it yet: [`Workspace::add_read`] adds it with its hash,
    /// made meanwhile by the page or from the same bytes by the worker. `file` is the
    /// `Blob`, or its bytes as a `Uint8Array` when the worker has read them already. Returns
    /// the summary so far (with its error when the file cannot be used).
    #[wasm_bindgen(js_name = readBlob)]
    pub fn read_blob(
        &mut self,
        name: &str,
        file: JsValue,
        on_progress: &js_sys::Function,
    ) -> Result<JsValue, JsError> {
        let mut progress = progress_of(on_progress);
        let (summary, data) = faers_core::ingest::read_zip_hashed(
            name,
            file_reader(file)?,
            faers_core::ingest::FileHash::Later,
            &mut progress,
        );
        let out = to_js(&summary)?;
        self.pending
            .insert(name.to_owned(), Pending::Whole(summary, data));
        Ok(out)
    }

    /// Adds a file read by [`Workspace::read_blob`], with its SHA-256 in hex. Returns the
    /// file's summary (an `inputs[]` entry).
    #[wasm_bindgen(js_name = addRead)]
    pub fn add_read(&mut self, name: &str, sha256: &str) -> Result<JsValue, JsError> {
        match self.take_pending(name)? {
            Pending::Whole(summary, data) => self.add_hashed(summary, data, sha256),
            Pending::MainHalf(_) => Err(JsError::new(&format!(
                "{name}: its DRUG table was read apart; join it with joinDrugHalf"
            ))),
        }
    }

    /// Gives a file read by [`Workspace::read_blob`] its SHA-256 in hex and returns it as
    /// a snapshot without adding it: for reader workers, several of which read files at once
    /// while one analysis worker holds the data. The read does not wait for the page's hash.
    /// Returns `{summary, snapshot}`: the `inputs[]` entry, and the quarter as bytes (a
    /// `Uint8Array`, null when the file could not be used) for [`Workspace::add_snapshot`] in
    /// the analysis worker, or for the browser's storage.
    #[wasm_bindgen(js_name = snapshotRead)]
    pub fn snapshot_read(&mut self, name: &str, sha256: &str) -> Result<JsValue, JsError> {
        let (mut summary, data) = match self.take_pending(name)? {
            Pending::Whole(summary, data) => (summary, data),
            Pending::MainHalf(_) => {
                return Err(JsError::new(&format!(
                    "{name}: its DRUG table was read apart; join it with joinDrugHalf"
                )))
            }
        };
        faers_core::ingest::give_sha256(&mut summary, sha256).map_err(js_error)?;
        let snapshot = data.map(|d| faers_core::snapshot::encode(&summary, &d, &d.pt_names));
        let out = js_sys::Object::new();
        js_sys::Reflect::set(&out, &"summary".into(), &to_js(&summary)?)
            .map_err(|_| JsError::new("could not build the result"))?;
        let bytes: JsValue = match snapshot {
            Some(b) => js_sys::Uint8Array::from(b.as_slice()).into(),
            None => JsValue::NULL,
        };
        js_sys::Reflect::set(&out, &"snapshot".into(), &bytes)
            .map_err(|_| JsError::new("could not build the result"))?;
        Ok(out.into())
    }

    /// Reads every table of a zip but DRUG, which another worker reads with
    /// [`read_drug_half`]; the file is added by [`Workspace::join_drug_half`]. `parts`: the
    /// file's bytes outside [`main_half_gap`], as `[{at, bytes}]`, when the worker that read
    /// the file whole has handed them over (else `undefined`: read here, DRUG's bytes left
    /// unread). Returns the summary so far (with its error when the file cannot be used).
    #[wasm_bindgen(js_name = readMainHalf)]
    pub fn read_main_half(
        &mut self,
        name: &str,
        blob: web_sys::Blob,
        on_progress: &js_sys::Function,
        parts: JsValue,
    ) -> Result<JsValue, JsError> {
        let mut progress = progress_of(on_progress);
        let reader = if parts.is_undefined() || parts.is_null() {
            // DRUG's compressed bytes, about half of a quarter's zip, are left unread (the
            // other worker reads them).
            BlobReader::skipping(blob, faers_core::ingest::main_half_gap)
        } else {
            BlobReader::with_parts(blob, parts_of(&parts)?)
        }
        .map_err(js_error)?;
        let pending = faers_core::ingest::read_main_half(
            name,
            with_buffer(reader),
            faers_core::ingest::FileHash::Later,
            &mut progress,
        );
        let summary = to_js(pending.summary())?;
        self.pending
            .insert(name.to_owned(), Pending::MainHalf(pending));
        Ok(summary)
    }

    /// Joins a file's DRUG half (bytes from [`read_drug_half`]) to its main half and adds
    /// the quarter before its hash is known (see `faers_core::Workspace::add_before_hash`):
    /// the page draws the table while the reader hashes the file, and the hash follows with
    /// [`Workspace::give_sha256`]. Returns the file's summary (an `inputs[]` entry), or
    /// `null` when its quarter is loaded already: the file then waits, joined, for
    /// [`Workspace::add_read`] with its hash (or [`Workspace::discard_read`]).
    #[wasm_bindgen(js_name = joinDrugHalf)]
    pub fn join_drug_half(&mut self, name: &str, drug: &[u8]) -> Result<JsValue, JsError> {
        match self.take_pending(name)? {
            Pending::MainHalf(pending) => {
                let (summary, data) = faers_core::ingest::join_halves(pending, drug);
                match self.inner.add_before_hash(summary, data) {
                    Ok(summary) => to_js(summary),
                    Err((summary, data)) => {
                        self.pending
                            .insert(name.to_owned(), Pending::Whole(summary, data));
                        Ok(JsValue::NULL)
                    }
                }
            }
            Pending::Whole(..) => Err(JsError::new(&format!(
                "{name}: it was read whole; add it with addRead"
            ))),
        }
    }

    /// Gives its SHA-256 in hex to the file `name`, added by [`Workspace::join_drug_half`]
    /// without it; the last analysis (and so its exports) gets it too. Returns whether a file
    /// of that name was waiting for it.
    #[wasm_bindgen(js_name = giveSha256)]
    pub fn give_sha256(&mut self, name: &str, sha256: &str) -> Result<bool, JsError> {
        let given = self.inner.give_sha256(name, sha256).map_err(js_error)?;
        if let (true, Some(last)) = (given, self.last.get_mut()) {
            faers_core::ingest::give_sha256_to_named(&mut last.inputs, name, sha256)
                .map_err(js_error)?;
        }
        Ok(given)
    }

    /// Computes, for the main half read as `name` (see [`Workspace::read_main_half`]), the
    /// deduplication and 2×2 margins [`Workspace::prepare`] would compute once it is joined
    /// and added: while another worker still reads its DRUG table. Kept for that add only;
    /// nothing is done for a file not waiting for its DRUG half.
    #[wasm_bindgen(js_name = prepareAhead)]
    pub fn prepare_ahead(&mut self, name: &str, options: JsValue) -> Result<(), JsError> {
        let options: faers_core::AnalysisOptions =
            serde_wasm_bindgen::from_value(options).map_err(js_error)?;
        if let Some(Pending::MainHalf(pending)) = self.pending.get_mut(name) {
            let inner = &self.inner;
            pending.with_provisional(|next| inner.prepare_ahead(name, next, &options));
        }
        Ok(())
    }

    /// Computes the deduplication and 2×2 margins that queries with `options`' deduplication
    /// settings share, ahead of the first query (the drug terms are not needed).
    pub fn prepare(&self, options: JsValue) -> Result<(), JsError> {
        let options: faers_core::AnalysisOptions =
            serde_wasm_bindgen::from_value(options).map_err(js_error)?;
        self.inner.prepare(&options);
        Ok(())
    }

    /// Runs one analysis; `options` as in output-contract.md (`{drugs: [...], roles: [...]}`).
    /// Returns the result as JSON text (the same fields): one `JSON.parse` where it is used is
    /// faster than building the object across the boundary and copying it between threads
    /// (a full quarter's result: 22 ms + 2 ms against 35 ms, before the copy).
    pub fn analyze(&self, options: JsValue) -> Result<String, JsError> {
        let options: faers_core::AnalysisOptions =
            serde_wasm_bindgen::from_value(options).map_err(js_error)?;
        let result = self.inner.analyze(&options).map_err(js_error)?;
        let json = serde_json::to_string(&result).map_err(js_error)?;
        *self.last.borrow_mut() = Some(result);
        Ok(json)
    }

    /// The last analysis's files: result.json, a CSV per table, the figures (SVG) and
    /// methods.md, as JSON text of `[{name, mime, content}]` (the same bytes as the CLI's
    /// `--export`; JSON for the reason given at [`Workspace::analyze`]).
    pub fn exports(&self) -> Result<String, JsError> {
        let last = self.last.borrow();
        let result = last
            .as_ref()
            .ok_or_else(|| JsError::new("run an analysis first"))?;
        serde_json::to_string(&faers_core::export::files(result)).map_err(js_error)
    }

    /// Reads the drug's label (DailyMed's SPL zip or XML, or plain text) from a `Blob`;
    /// later analyses mark each signal as listed or not. Returns the label's summary.
    #[wasm_bindgen(js_name = loadLabel)]
    pub fn load_label(&mut self, name: &str, blob: web_sys::Blob) -> Result<JsValue, JsError> {
        let bytes = bytes_of(name, blob)?;
        let label = faers_core::label::Label::from_bytes(name, &bytes).map_err(js_error)?;
        let value = to_js(&label)?;
        self.inner.set_label(Some(label));
        Ok(value)
    }

    /// Reads a label pasted as text.
    #[wasm_bindgen(js_name = loadLabelText)]
    pub fn load_label_text(&mut self, name: &str, text: &str) -> Result<JsValue, JsError> {
        let label = faers_core::label::Label::from_text(name, text).map_err(js_error)?;
        let value = to_js(&label)?;
        self.inner.set_label(Some(label));
        Ok(value)
    }

    /// Stops using the label.
    #[wasm_bindgen(js_name = clearLabel)]
    pub fn clear_label(&mut self) {
        self.inner.set_label(None);
    }

    /// Every version of one case, which was kept under `options` and why (the
    /// deduplication fields of `options` are used; drug terms are not needed).
    #[wasm_bindgen(js_name = caseHistory)]
    pub fn case_history(&self, caseid: f64, options: JsValue) -> Result<JsValue, JsError> {
        if !(caseid.is_finite() && caseid >= 1.0 && caseid.fract() == 0.0 && caseid < 9.0e15) {
            return Err(JsError::new(
                "a case id is a whole number, such as 10979236",
            ));
        }
        let options: faers_core::AnalysisOptions =
            serde_wasm_bindgen::from_value(options).map_err(js_error)?;
        to_js(
            &self
                .inner
                .case_history(caseid as u64, &options)
                .map_err(js_error)?,
        )
    }

    /// The analysis under several deduplication settings, side by side. `variants` is a list
    /// of `{dedup, deleted, rule_dedup}`, or null for the standard comparison (fda,
    /// caseversion, none, fda + rule-based duplicates).
    pub fn sensitivity(&self, options: JsValue, variants: JsValue) -> Result<JsValue, JsError> {
        let options: faers_core::AnalysisOptions =
            serde_wasm_bindgen::from_value(options).map_err(js_error)?;
        let variants: Vec<faers_core::sensitivity::DedupVariant> =
            if variants.is_null() || variants.is_undefined() {
                faers_core::sensitivity::DedupVariant::standard_set()
            } else {
                serde_wasm_bindgen::from_value(variants).map_err(js_error)?
            };
        to_js(
            &self
                .inner
                .sensitivity(&options, &variants)
                .map_err(js_error)?,
        )
    }

    /// Loads the user's MedDRA release from a zip of its ASCII files (read locally, never
    /// uploaded). Returns `{version, pts}`; later analyses carry PT codes and SOCs.
    #[wasm_bindgen(js_name = loadMeddraZip)]
    pub fn load_meddra_zip(&mut self, name: &str, blob: web_sys::Blob) -> Result<JsValue, JsError> {
        let meddra =
            faers_core::meddra::Meddra::from_zip(name, buffered(blob)?).map_err(js_error)?;
        self.use_meddra(meddra)
    }

    /// Loads the user's MedDRA release from its `.asc` files (e.g. a chosen folder):
    /// `names[i]` is the file name of `blobs[i]`.
    #[wasm_bindgen(js_name = loadMeddraFiles)]
    pub fn load_meddra_files(
        &mut self,
        names: Vec<String>,
        blobs: Vec<web_sys::Blob>,
    ) -> Result<JsValue, JsError> {
        let mut files = Vec::new();
        for (name, blob) in names.into_iter().zip(blobs) {
            if !name.to_ascii_lowercase().ends_with(".asc") {
                continue;
            }
            let bytes = bytes_of(&name, blob)?;
            files.push((name, bytes));
        }
        let meddra = faers_core::meddra::Meddra::from_files(
            "the chosen MedDRA files",
            files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
        )
        .map_err(js_error)?;
        self.use_meddra(meddra)
    }

    /// Stops using MedDRA.
    #[wasm_bindgen(js_name = clearMeddra)]
    pub fn clear_meddra(&mut self) {
        self.inner.set_meddra(None);
    }

    /// Adds a quarter from its snapshot bytes (from [`read_zip_snapshot`] or the browser's
    /// storage). Returns its `inputs[]` entry; a damaged or outdated snapshot is an error
    /// saying so (read the zip again).
    #[wasm_bindgen(js_name = addSnapshot)]
    pub fn add_snapshot(&mut self, bytes: &[u8]) -> Result<JsValue, JsError> {
        let summary = self.inner.add_snapshot(bytes).map_err(js_error)?;
        to_js(summary)
    }

    /// The snapshot of a loaded quarter (e.g. `"2024Q3"`), to keep in the browser's storage;
    /// null when that quarter is not loaded.
    pub fn snapshot(&self, quarter: &str) -> Option<Vec<u8>> {
        self.inner.snapshot(quarter)
    }

    /// Summaries of every file offered so far.
    pub fn inputs(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.inputs())
    }

    /// Forgets all loaded data.
    pub fn clear(&mut self) {
        self.inner.clear();
        self.pending.clear();
        *self.last.borrow_mut() = None;
    }

    /// Drops a file read but not added (cancelled, or already loaded).
    #[wasm_bindgen(js_name = discardRead)]
    pub fn discard_read(&mut self, name: &str) {
        self.pending.remove(name);
        self.inner.forget_ahead(name);
    }
}
