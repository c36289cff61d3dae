//! How kept copies lie in IndexedDB: packs of up to [`KEPT_PACK`] files, each pack one value
//! of bytes — a JSON header naming each copy (its file, ETag, key, the rules it passed and its
//! length), a newline, then the files' bytes end to end.
//!
//! Read back, each file is found by its length. Earlier builds kept a pack as a JSON array of
//! copies, each wrapping its file: finding where each copy ends, then where its file ends, read
//! all 60 MB of a 10,000-author room twice before the files themselves were read (a fifth of
//! opening the map again). Those packs are still read (see `kept.rs`) and written again in this
//! form.

use std::ops::Range;

use networkshop_core::validate::RULES;
use serde::{Deserialize, Serialize};

use crate::storage::KEPT_PACK;

/// How a pack of this form begins (the header's first member).
const MARK: &[u8] = br#"{"pack":2,"#;

/// A believed file to keep, with what reading it back needs.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeptFile {
    pub(super) name: String,
    pub(super) etag: Option<String>,
    /// The key it is signed by (checked when it arrived, by this build's rules).
    pub(super) key: String,
    pub(super) text: String,
}

/// One copy as a pack's header names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct PackedCopy {
    pub(super) name: String,
    pub(super) etag: Option<String>,
    pub(super) key: String,
    /// The fingerprint of the checks it passed (the core's `RULES` when this build wrote it).
    pub(super) rules: String,
    /// The file's length in bytes.
    len: usize,
}

#[derive(Serialize, Deserialize)]
struct Header {
    pack: u32,
    copies: Vec<PackedCopy>,
}

/// `files` as packs of up to [`KEPT_PACK`], one value each.
pub(super) fn packs(files: &[KeptFile]) -> Vec<Vec<u8>> {
    files.chunks(KEPT_PACK).map(pack).collect()
}

fn pack(files: &[KeptFile]) -> Vec<u8> {
    let header = Header {
        pack: 2,
        copies: files
            .iter()
            .map(|file| PackedCopy {
                name: file.name.clone(),
                etag: file.etag.clone(),
                key: file.key.clone(),
                rules: RULES.to_owned(),
                len: file.text.len(),
            })
            .collect(),
    };
    // Compact JSON: newlines within it are escaped, so the first one ends it.
    let mut bytes = serde_json::to_vec(&header).unwrap_or_default();
    bytes.reserve(files.iter().map(|file| file.text.len()).sum::<usize>() + 1);
    bytes.push(b'\n');
    for file in files {
        bytes.extend_from_slice(file.text.as_bytes());
    }
    bytes
}

/// The copies in a kept value and where each file's bytes lie in it; `None` when the value
/// is not a pack of this form (an earlier build's). A value cut short gives the copies that
/// are whole.
pub(super) fn unpack(value: &[u8]) -> Option<Vec<(PackedCopy, Range<usize>)>> {
    if !value.starts_with(MARK) {
        return None;
    }
    let end = value.iter().position(|&byte| byte == b'\n')?;
    let header: Header = serde_json::from_slice(&value[..end]).ok()?;
    let mut at = end + 1;
    let mut copies = Vec::with_capacity(header.copies.len());
    for copy in header.copies {
        let place = at..at.saturating_add(copy.len);
        if place.end > value.len() {
            break;
        }
        at = place.end;
        copies.push((copy, place));
    }
    Some(copies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> KeptFile {
        KeptFile {
            name: name.into(),
            etag: Some("\"e1\"".into()),
            key: "k".into(),
            text: text.into(),
        }
    }

    /// A copy as read or written: file, ETag, key, rules, bytes.
    type Copy<'a> = (String, Option<String>, String, String, &'a [u8]);

    #[test]
    fn a_pack_reads_back_as_written() {
        let files = [
            file("a\"b\n.json", "{\"records\":[\"é\\n\"]}\n"),
            KeptFile {
                etag: None,
                ..file("c.json", "{}")
            },
        ];
        let packs = packs(&files);
        assert_eq!(packs.len(), 1);
        let copies = unpack(&packs[0]).expect("a pack of this form");
        let read: Vec<Copy> = copies
            .iter()
            .map(|(copy, place)| {
                let bytes = &packs[0][place.clone()];
                (
                    copy.name.clone(),
                    copy.etag.clone(),
                    copy.key.clone(),
                    copy.rules.clone(),
                    bytes,
                )
            })
            .collect();
        let written: Vec<Copy> = files
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    f.etag.clone(),
                    f.key.clone(),
                    RULES.to_owned(),
                    f.text.as_bytes(),
                )
            })
            .collect();
        assert_eq!(read, written);
    }

    #[test]
    fn many_files_make_several_packs_and_a_cut_pack_keeps_its_whole_copies() {
        let files: Vec<KeptFile> = (0..KEPT_PACK + 3)
            .map(|n| file(&format!("f{n}.json"), &format!("{{\"n\":{n}}}")))
            .collect();
        let packs = packs(&files);
        assert_eq!(packs.len(), 2);
        assert_eq!(unpack(&packs[1]).unwrap().len(), 3);
        let cut = &packs[1][..packs[1].len() - 2];
        let whole = unpack(cut).unwrap();
        assert_eq!(whole.len(), 2);
        assert_eq!(&cut[whole[1].1.clone()], br#"{"n":251}"#);
    }

    #[test]
    fn an_earlier_builds_values_are_not_packs_of_this_form() {
        assert_eq!(unpack(br#"[{"name":"a.json","bundle":{}}]"#), None);
        assert_eq!(
            unpack(br#"{"name":"a.json","etag":null,"text":"{}"}"#),
            None
        );
        assert_eq!(
            unpack(br#"{"pack":2,"copies":[]"#),
            None,
            "no end of header"
        );
    }
}
