//! How kept copies lie in IndexedDB: packs of up to [`KEPT_PACK`] files, each pack one value
//! of bytes — a JSON header naming each copy (its file, ETag, key, the rules it passed and its
//! length), a newline, then the copies end to end, each the bundle in the core's kept form
//! (`kept_form`: half the bytes of its JSON, read about three times faster).
//!
//! Read back, each copy is found by its length. The build before kept the files' JSON text in
//! the same packs (`"pack":2`), and earlier builds kept a pack as a JSON array of copies, each
//! wrapping its file: both are still read (see `kept.rs`) and written again in this form.

use std::ops::Range;

use networkshop_core::validate::RULES;
use serde::{Deserialize, Serialize};

use crate::storage::KEPT_PACK;

/// How a pack begins (the header's first member), by what its copies are.
const MARK: &[u8] = br#"{"pack":3,"#;
const JSON_MARK: &[u8] = br#"{"pack":2,"#;

/// What a pack's copies are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// Bundles in the core's kept form (this build's).
    Kept,
    /// The files' JSON text (the build before).
    Json,
}

/// A believed file to keep, with what reading it back needs.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeptFile {
    pub(super) name: String,
    pub(super) etag: Option<String>,
    /// The key it is signed by (checked when it arrived, by this build's rules).
    pub(super) key: String,
    /// The bundle in the kept form.
    pub(super) kept: Vec<u8>,
}

/// One copy as a pack's header names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct PackedCopy {
    pub(super) name: String,
    pub(super) etag: Option<String>,
    pub(super) key: String,
    /// The fingerprint of the checks it passed (the core's `RULES` when this build wrote it).
    pub(super) rules: String,
    /// The copy's length in bytes.
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
        pack: 3,
        copies: files
            .iter()
            .map(|file| PackedCopy {
                name: file.name.clone(),
                etag: file.etag.clone(),
                key: file.key.clone(),
                rules: RULES.to_owned(),
                len: file.kept.len(),
            })
            .collect(),
    };
    // Compact JSON: newlines within it are escaped, so the first one ends it.
    let mut bytes = serde_json::to_vec(&header).unwrap_or_default();
    bytes.reserve(files.iter().map(|file| file.kept.len()).sum::<usize>() + 1);
    bytes.push(b'\n');
    for file in files {
        bytes.extend_from_slice(&file.kept);
    }
    bytes
}

/// A pack's copies, each with where its bytes lie in the pack.
pub(super) type Copies = Vec<(PackedCopy, Range<usize>)>;

/// The copies in a kept value, what they are, and where each one's bytes lie in it; `None`
/// when the value is not a pack (an earlier build's array). A value cut short gives the copies
/// that are whole.
pub(super) fn unpack(value: &[u8]) -> Option<(Form, Copies)> {
    let form = if value.starts_with(MARK) {
        Form::Kept
    } else if value.starts_with(JSON_MARK) {
        Form::Json
    } else {
        return None;
    };
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
    Some((form, copies))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> KeptFile {
        KeptFile {
            name: name.into(),
            etag: Some("\"e1\"".into()),
            key: "k".into(),
            kept: text.as_bytes().to_vec(),
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
        let (form, copies) = unpack(&packs[0]).expect("a pack");
        assert_eq!(form, Form::Kept);
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
                    f.kept.as_slice(),
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
        assert_eq!(unpack(&packs[1]).unwrap().1.len(), 3);
        let cut = &packs[1][..packs[1].len() - 2];
        let (_, whole) = unpack(cut).unwrap();
        assert_eq!(whole.len(), 2);
        assert_eq!(&cut[whole[1].1.clone()], br#"{"n":251}"#);
    }

    #[test]
    fn the_build_befores_packs_say_they_hold_json() {
        let value =
            br#"{"pack":2,"copies":[{"name":"a.json","etag":null,"key":"k","rules":"r","len":2}]}
{}"#;
        let (form, copies) = unpack(value).expect("a pack");
        assert_eq!(form, Form::Json);
        assert_eq!(&value[copies[0].1.clone()], b"{}");
    }

    #[test]
    fn an_earlier_builds_values_are_not_packs() {
        assert_eq!(unpack(br#"[{"name":"a.json","bundle":{}}]"#), None);
        assert_eq!(
            unpack(br#"{"name":"a.json","etag":null,"text":"{}"}"#),
            None
        );
        assert_eq!(
            unpack(br#"{"pack":3,"copies":[]"#),
            None,
            "no end of header"
        );
    }
}
