//! `Read + Seek` over a browser `Blob`, for use inside a Web Worker.
//!
//! A file of up to [`WHOLE_UP_TO`] bytes (every FDA quarter) is read with one
//! `FileReaderSync` call into a JavaScript `ArrayBuffer` (outside wasm memory, which never
//! shrinks, and freed once read): in Chromium that takes about half the time of reading it in
//! 4 MiB slices (55–83 ms against 101–187 ms for a 66 MB quarter). A larger file is read a
//! `Blob::slice` at a time. Either way `FileReaderSync` works only in workers; the caller
//! wraps the reader in a large `BufReader`, so the zip reader's many small reads become few
//! multi-megabyte copies. A file whose bytes the worker has already read (to hash them) is
//! read from those bytes, without a second `FileReaderSync` call.

use std::io::{self, Read, Seek, SeekFrom};

use wasm_bindgen::JsValue;

/// Files up to this size are read whole (see the module's documentation).
const WHOLE_UP_TO: u64 = 512 << 20;

pub struct BlobReader {
    /// The file and its reader; `None` when it was given as bytes.
    blob: Option<(web_sys::Blob, web_sys::FileReaderSync)>,
    /// The whole file, once read (files up to [`WHOLE_UP_TO`] bytes) or as given.
    whole: Option<js_sys::Uint8Array>,
    pos: u64,
    size: u64,
}

fn io_err(e: JsValue) -> io::Error {
    let msg = e
        .as_string()
        .or_else(|| {
            js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("{e:?}"));
    io::Error::other(msg)
}

impl BlobReader {
    pub fn new(blob: web_sys::Blob) -> Result<BlobReader, String> {
        let reader = web_sys::FileReaderSync::new()
            .map_err(|e| format!("files can only be read inside a Web Worker ({})", io_err(e)))?;
        let size = blob.size() as u64;
        Ok(BlobReader {
            blob: Some((blob, reader)),
            whole: None,
            pos: 0,
            size,
        })
    }

    /// A file already read into (JavaScript) memory.
    pub fn from_bytes(bytes: js_sys::Uint8Array) -> BlobReader {
        let size = u64::from(bytes.length());
        BlobReader {
            blob: None,
            whole: Some(bytes),
            pos: 0,
            size,
        }
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let end = (self.pos + buf.len() as u64).min(self.size);
        if let (None, Some((blob, reader))) = (&self.whole, &self.blob) {
            if self.size <= WHOLE_UP_TO {
                let bytes = reader.read_as_array_buffer(blob).map_err(io_err)?;
                let whole = js_sys::Uint8Array::new(&bytes);
                // A file changed since it was chosen: what was read is what there is.
                self.size = u64::from(whole.length());
                self.whole = Some(whole);
            }
        }
        let end = end.min(self.size);
        if self.pos >= end {
            return Ok(0);
        }
        if let Some(whole) = &self.whole {
            let n = (end - self.pos) as usize;
            whole
                .subarray(self.pos as u32, end as u32)
                .copy_to(&mut buf[..n]);
            self.pos = end;
            return Ok(n);
        }
        // Only a file given as a `Blob` is read a slice at a time.
        let Some((blob, reader)) = &self.blob else {
            return Ok(0);
        };
        let slice = blob
            .slice_with_f64_and_f64(self.pos as f64, end as f64)
            .map_err(io_err)?;
        let bytes = reader.read_as_array_buffer(&slice).map_err(io_err)?;
        let array = js_sys::Uint8Array::new(&bytes);
        let n = array.length() as usize;
        array.copy_to(&mut buf[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for BlobReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => p as i128,
            SeekFrom::End(d) => self.size as i128 + d as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        if target < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            ));
        }
        self.pos = target as u64;
        Ok(self.pos)
    }
}
