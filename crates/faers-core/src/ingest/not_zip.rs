//! What a file that the zip reader refused is instead, so that the reviewer is told what to do:
//! download again a zip cut short, or pick the right file in place of a PDF, a web page saved
//! under the zip's name (a failed download often leaves one) or another kind of archive.
//! Only the first bytes and the end of the file are looked at.

use std::io::{Read, Seek, SeekFrom};

use crate::error::NotZipFound;

/// How far from the end a zip's end-of-central-directory record can start: its 22 bytes plus
/// a comment of up to 65,535.
const EOCD_SEARCH: u64 = 22 + 65_535;

/// What the `len` bytes of `reader` are, given that they are no usable zip; `reason` is the zip
/// reader's own words, kept for a file this cannot name.
pub(crate) fn identify<R: Read + Seek>(reader: &mut R, len: u64, reason: String) -> NotZipFound {
    if len == 0 {
        return NotZipFound::Empty;
    }
    let mut head = [0u8; 512];
    let head = match read_at(reader, 0, &mut head) {
        Ok(n) => &head[..n],
        Err(_) => return NotZipFound::Other(reason),
    };
    if head.starts_with(b"PK\x03\x04") {
        let from = len.saturating_sub(EOCD_SEARCH);
        let mut tail = vec![0u8; (len - from) as usize];
        return match read_at(reader, from, &mut tail) {
            Ok(n) if !tail[..n].windows(4).any(|w| w == b"PK\x05\x06") => NotZipFound::CutShort,
            _ => NotZipFound::Other(reason),
        };
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = text.trim_ascii_start();
    let lower = start
        .iter()
        .take(256)
        .map(u8::to_ascii_lowercase)
        .collect::<Vec<u8>>();
    let contains = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if head.starts_with(b"%PDF") {
        NotZipFound::Pdf
    } else if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<") && contains(b"<html"))
    {
        NotZipFound::WebPage
    } else if lower.starts_with(b"<?xml") {
        NotZipFound::Xml
    } else if head.starts_with(b"\x1f\x8b") {
        NotZipFound::Gzip
    } else if head.starts_with(b"7z\xBC\xAF\x27\x1C") {
        NotZipFound::SevenZip
    } else if head.starts_with(b"Rar!\x1A\x07") {
        NotZipFound::Rar
    } else if !start.is_empty()
        && text
            .iter()
            .all(|&b| b.is_ascii_graphic() || b.is_ascii_whitespace() || b >= 0x80)
    {
        NotZipFound::Text
    } else {
        NotZipFound::Other(reason)
    }
}

/// Reads up to `buf.len()` bytes at `at`; fewer only at the end of the file.
fn read_at<R: Read + Seek>(reader: &mut R, at: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    reader.seek(SeekFrom::Start(at))?;
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn found(bytes: &[u8]) -> NotZipFound {
        identify(
            &mut Cursor::new(bytes),
            bytes.len() as u64,
            "the reader's words".into(),
        )
    }

    fn a_zip() -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file(
            "ascii/DEMO24Q1.txt",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&b"primaryid$caseid\n1$1\n".repeat(2000))
            .unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_zip_cut_anywhere_before_its_directory_ends_is_cut_short() {
        let zip = a_zip();
        let eocd = zip.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
        for cut in [30, zip.len() / 2, eocd, eocd + 3] {
            assert_eq!(found(&zip[..cut]), NotZipFound::CutShort, "cut at {cut}");
        }
        // With its end record it is something the zip reader must explain itself.
        assert_eq!(
            found(&zip[..eocd + 4]),
            NotZipFound::Other("the reader's words".into())
        );
    }

    #[test]
    fn each_kind_is_said_in_words() {
        let said = |found: NotZipFound| {
            crate::error::InputError::NotZip {
                file: "q.zip".into(),
                found,
            }
            .to_string()
        };
        for (found, words) in [
            (NotZipFound::CutShort, "q.zip: the zip is cut short"),
            (NotZipFound::Empty, "q.zip: the file is empty (0 bytes)"),
            (
                NotZipFound::Pdf,
                "q.zip: not a zip archive: it is a PDF document; FDA's",
            ),
            (
                NotZipFound::WebPage,
                "q.zip: not a zip archive: it is a web page (HTML)",
            ),
            (
                NotZipFound::Xml,
                "q.zip: not a zip archive: it is an XML document",
            ),
            (
                NotZipFound::Gzip,
                "q.zip: not a zip archive: it is a gzip file",
            ),
            (
                NotZipFound::SevenZip,
                "q.zip: not a zip archive: it is a 7-Zip archive",
            ),
            (
                NotZipFound::Rar,
                "q.zip: not a zip archive: it is a RAR archive",
            ),
            (
                NotZipFound::Text,
                "q.zip: not a zip archive: it holds plain text",
            ),
            (
                NotZipFound::DamagedDirectory("bad entry".into()),
                "q.zip: the zip's directory of members is damaged (bad entry)",
            ),
            (
                NotZipFound::Other("odd".into()),
                "q.zip: not a zip archive (odd)",
            ),
        ] {
            let message = said(found);
            assert!(message.starts_with(words), "{message}");
        }
    }

    #[test]
    fn other_kinds_of_file_are_named() {
        assert_eq!(found(b""), NotZipFound::Empty);
        assert_eq!(found(b"%PDF-1.6\n%\xE2\xE3\xCF\xD3\n"), NotZipFound::Pdf);
        assert_eq!(
            found(b"<!DOCTYPE html>\n<html><body>Not found"),
            NotZipFound::WebPage
        );
        assert_eq!(found(b"\xEF\xBB\xBF  <HTML>\n<head>"), NotZipFound::WebPage);
        assert_eq!(
            found(b"<head><title>x</title></head><html>"),
            NotZipFound::WebPage
        );
        assert_eq!(found(b"<?xml version=\"1.0\"?><ichicsr>"), NotZipFound::Xml);
        assert_eq!(found(b"\x1f\x8b\x08\x00rest"), NotZipFound::Gzip);
        assert_eq!(found(b"7z\xBC\xAF\x27\x1C\x00\x04"), NotZipFound::SevenZip);
        assert_eq!(found(b"Rar!\x1A\x07\x01\x00"), NotZipFound::Rar);
        assert_eq!(found(b"primaryid$caseid\n1$2\n"), NotZipFound::Text);
        assert_eq!(found(b"These are my notes.\n"), NotZipFound::Text);
        assert_eq!(
            found(b"\x00\x01\x02binary"),
            NotZipFound::Other("the reader's words".into())
        );
        assert_eq!(
            found(b"   \n"),
            NotZipFound::Other("the reader's words".into())
        );
    }
}
