//! `Read + Seek` over a browser `Blob`, for use inside a Web Worker.
//!
//! Each read takes a `Blob::slice` and reads it synchronously with `FileReaderSync` (only
//! available in workers). The caller wraps it in a large `BufReader`, so the zip reader's
//! many small reads become few multi-megabyte slices.

use std::io::{self, Read, Seek, SeekFrom};

use wasm_bindgen::JsValue;

pub struct BlobReader {
    blob: web_sys::Blob,
    reader: web_sys::FileReaderSync,
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
            blob,
            reader,
            pos: 0,
            size,
        })
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let end = (self.pos + buf.len() as u64).min(self.size);
        let slice = self
            .blob
            .slice_with_f64_and_f64(self.pos as f64, end as f64)
            .map_err(io_err)?;
        let bytes = self.reader.read_as_array_buffer(&slice).map_err(io_err)?;
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
