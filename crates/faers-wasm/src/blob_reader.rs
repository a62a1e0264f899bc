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
//!
//! Chromium's pipe from a file to a worker costs CPU for every byte (~160 ms of CPU, over
//! both cores, for a 66 MB quarter), so a reader that will not need a range of the file (the
//! main half of a split file does not read DRUG) can leave it unread: see
//! [`BlobReader::skipping`].

use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;

use wasm_bindgen::JsValue;

/// Files up to this size are read whole (see the module's documentation).
const WHOLE_UP_TO: u64 = 512 << 20;

/// The last bytes of a zip, read first when a gap is looked for: its directory (a few KiB
/// for an FDA quarter) and the record that locates it (within the last 64 KiB).
const TAIL: u64 = 128 << 10;

pub struct BlobReader {
    /// The file and its reader; `None` when it was given as bytes.
    blob: Option<(web_sys::Blob, web_sys::FileReaderSync)>,
    /// What has been read of the file, as (offset, bytes): the whole file (files up to
    /// [`WHOLE_UP_TO`] bytes, or as given), or the tail and the parts around a gap.
    parts: Vec<(u64, js_sys::Uint8Array)>,
    /// Bytes the caller will not read (see [`BlobReader::skipping`]).
    gap: Option<Range<u64>>,
    /// Read exactly what is asked, and keep nothing (while the gap is looked for).
    direct: bool,
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
            parts: Vec::new(),
            gap: None,
            direct: false,
            pos: 0,
            size,
        })
    }

    /// A file already read into (JavaScript) memory.
    pub fn from_bytes(bytes: js_sys::Uint8Array) -> BlobReader {
        let size = u64::from(bytes.length());
        BlobReader {
            blob: None,
            parts: vec![(0, bytes)],
            gap: None,
            direct: false,
            pos: 0,
            size,
        }
    }

    /// A reader of `blob` that leaves unread the range `gap` finds: the file is read as the
    /// parts before and after it, one call each (a read inside it is still served, a slice at
    /// a time). `gap` is given the reader with the file's tail read and reads directly, in
    /// small pieces, anything else it looks at. Files larger than [`WHOLE_UP_TO`] are read a
    /// slice at a time anyway: no gap is looked for.
    pub fn skipping(
        blob: web_sys::Blob,
        gap: impl FnOnce(&mut BlobReader) -> Option<Range<u64>>,
    ) -> Result<BlobReader, String> {
        let mut reader = BlobReader::new(blob)?;
        if reader.size > WHOLE_UP_TO {
            return Ok(reader);
        }
        let tail = reader.size.saturating_sub(TAIL)..reader.size;
        if reader.fetch(tail).is_ok() {
            reader.direct = true;
            let found = gap(&mut reader);
            reader.direct = false;
            reader.gap = found.filter(|g| g.start < g.end);
        }
        reader.pos = 0;
        Ok(reader)
    }

    /// A reader of `blob` whose `parts` (offset, bytes) another worker has read already:
    /// anything else is read from the file, a slice at a time.
    pub fn with_parts(
        blob: web_sys::Blob,
        parts: Vec<(u64, js_sys::Uint8Array)>,
    ) -> Result<BlobReader, String> {
        let mut reader = BlobReader::new(blob)?;
        reader.parts = parts;
        reader.direct = true;
        Ok(reader)
    }

    /// The range [`BlobReader::skipping`] found to leave unread.
    pub fn gap(&self) -> Option<Range<u64>> {
        self.gap.clone()
    }

    /// Reads `range` of the file in one call, and keeps it unless reading directly.
    fn fetch(&mut self, range: Range<u64>) -> io::Result<js_sys::Uint8Array> {
        let Some((blob, reader)) = &self.blob else {
            return Ok(js_sys::Uint8Array::new_with_length(0));
        };
        let bytes = if range.start == 0 && range.end >= self.size {
            reader.read_as_array_buffer(blob)
        } else {
            let slice = blob
                .slice_with_f64_and_f64(range.start as f64, range.end as f64)
                .map_err(io_err)?;
            reader.read_as_array_buffer(&slice)
        }
        .map_err(io_err)?;
        let array = js_sys::Uint8Array::new(&bytes);
        // A file changed since it was chosen: what was read is what there is.
        let got = u64::from(array.length());
        if got < range.end - range.start || range.start == 0 && range.end >= self.size {
            self.size = self.size.min(range.start + got);
        }
        // Kept for the reads to come; a slice of a larger file is read for one read only.
        if !self.direct && self.size <= WHOLE_UP_TO {
            self.parts.push((range.start, array.clone()));
        }
        Ok(array)
    }

    /// What to read for a read of `want` bytes at `pos`, which no part holds.
    fn range_for(&self, pos: u64, want: u64) -> Range<u64> {
        if self.direct || self.size > WHOLE_UP_TO {
            return pos..(pos + want).min(self.size);
        }
        // Up to the next part already read, not over it.
        let next = self
            .parts
            .iter()
            .map(|(at, _)| *at)
            .filter(|&at| at > pos)
            .min()
            .unwrap_or(self.size);
        match &self.gap {
            Some(gap) if pos < gap.start => 0..gap.start.min(next),
            Some(gap) if pos >= gap.end => gap.end..self.size.min(next),
            Some(gap) => pos..(pos + want).min(gap.end),
            None => 0..self.size.min(next),
        }
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let pos = self.pos;
        let held = self
            .parts
            .iter()
            .find(|(at, bytes)| *at <= pos && pos < *at + u64::from(bytes.length()))
            .map(|(at, bytes)| (*at, bytes.clone()));
        let (at, bytes) = match held {
            Some(part) => part,
            None => {
                let range = self.range_for(pos, buf.len() as u64);
                if !range.contains(&pos) {
                    return Ok(0);
                }
                (range.start, self.fetch(range)?)
            }
        };
        let end = (at + u64::from(bytes.length()))
            .min(pos + buf.len() as u64)
            .min(self.size);
        if end <= pos {
            return Ok(0);
        }
        let n = (end - pos) as usize;
        bytes
            .subarray((pos - at) as u32, (end - at) as u32)
            .copy_to(&mut buf[..n]);
        self.pos = end;
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
