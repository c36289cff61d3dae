//! A signed file's canonical bytes written straight from its text, with the few top-level
//! members the header and the signature checks read: no tree of values is built, which was
//! half of what checking a first visit's 10,000 signatures cost (`cargo bench -p
//! networkshop-core --bench merge`, "believe signed files").
//!
//! Only the common shape is read: a top-level object whose keys have no escapes, numbers that
//! are small integers. Anything else — a repeated key, an escaped key, a fraction or an
//! exponent, nesting past [`DEEPEST`], bad syntax — gives `None`, and the strict reading judges
//! the file, so the answer is always the one it would give (property-tested).

use std::ops::Range;

/// Nesting read here at most (`serde_json`'s own limit, where the strict reading fails, is 128).
const DEEPEST: usize = 100;
/// Digits of an integer read here at most: `serde_json` holds up to 19 or 20 as an integer and
/// writes it back as it came; past that, it is a float.
const MOST_DIGITS: usize = 18;

/// What [`scan`] read.
pub(crate) struct Scanned<'a> {
    /// [`super::canonical_bytes`] of the document.
    pub(crate) canonical: Vec<u8>,
    /// The top-level members' JSON text.
    pub(crate) format: Option<&'a [u8]>,
    pub(crate) version: Option<&'a [u8]>,
    pub(crate) signature: Option<&'a [u8]>,
    /// How many elements the top-level `records` has, when it is an array.
    pub(crate) records: Option<usize>,
}

/// Reads a document of the common shape; `None` for any other (see the module).
pub(crate) fn scan(bytes: &[u8]) -> Option<Scanned<'_>> {
    let mut scanner = Scanner {
        bytes,
        at: 0,
        out: Vec::with_capacity(bytes.len()),
    };
    let mut top = Top::default();
    scanner.skip_space();
    if scanner.peek()? != b'{' {
        return None;
    }
    scanner.object(0, Some(&mut top))?;
    scanner.skip_space();
    (scanner.at == bytes.len()).then_some(Scanned {
        canonical: scanner.out,
        format: top.format,
        version: top.version,
        signature: top.signature,
        records: top.records,
    })
}

#[derive(Default)]
struct Top<'a> {
    format: Option<&'a [u8]>,
    version: Option<&'a [u8]>,
    signature: Option<&'a [u8]>,
    records: Option<usize>,
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    out: Vec<u8>,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    /// One value, written canonically; its element count when it is an array.
    fn value(&mut self, depth: usize) -> Option<Option<usize>> {
        if depth > DEEPEST {
            return None;
        }
        match self.peek()? {
            b'{' => self.object(depth, None).map(|()| None),
            b'[' => self.array(depth).map(Some),
            b'"' => self.string().map(|()| None),
            b't' => self.literal(b"true").map(|()| None),
            b'f' => self.literal(b"false").map(|()| None),
            b'n' => self.literal(b"null").map(|()| None),
            b'-' | b'0'..=b'9' => self.integer().map(|()| None),
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<usize> {
        self.at += 1;
        self.out.push(b'[');
        self.skip_space();
        let mut count = 0;
        if self.peek()? == b']' {
            self.at += 1;
        } else {
            loop {
                self.skip_space();
                self.value(depth + 1)?;
                count += 1;
                self.skip_space();
                match self.next()? {
                    b',' => self.out.push(b','),
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.out.push(b']');
        Some(count)
    }

    /// An object, its members written in key order. At the top, its `signature` is left out
    /// of the bytes and the members the checks read are noted.
    fn object(&mut self, depth: usize, mut top: Option<&mut Top<'a>>) -> Option<()> {
        self.at += 1;
        self.out.push(b'{');
        let written_from = self.out.len();
        // Each member's key, and where `"key":value` was written (empty: left out).
        let mut members: Vec<(&'a [u8], Range<usize>)> = Vec::new();
        self.skip_space();
        if self.peek()? == b'}' {
            self.at += 1;
            self.out.push(b'}');
            return Some(());
        }
        loop {
            self.skip_space();
            let key = self.plain_key()?;
            self.skip_space();
            if self.next()? != b':' {
                return None;
            }
            self.skip_space();
            let start = self.out.len();
            self.out.push(b'"');
            self.out.extend_from_slice(key);
            self.out.extend_from_slice(b"\":");
            let text_from = self.at;
            let count = self.value(depth + 1)?;
            let text = &self.bytes[text_from..self.at];
            let mut end = self.out.len();
            if let Some(top) = top.as_deref_mut() {
                match key {
                    b"signature" => {
                        top.signature = Some(text);
                        self.out.truncate(start);
                        end = start;
                    }
                    b"format" => top.format = Some(text),
                    b"version" => top.version = Some(text),
                    b"records" => top.records = count,
                    _ => {}
                }
            }
            members.push((key, start..end));
            self.skip_space();
            match self.next()? {
                b',' => {}
                b'}' => break,
                _ => return None,
            }
        }
        members.sort_unstable_by(|a, b| a.0.cmp(b.0));
        if members.windows(2).any(|pair| pair[0].0 == pair[1].0) {
            return None;
        }
        let written = self.out.split_off(written_from);
        let mut first = true;
        for (_, place) in members.into_iter().filter(|(_, place)| !place.is_empty()) {
            if !first {
                self.out.push(b',');
            }
            first = false;
            self.out
                .extend_from_slice(&written[place.start - written_from..place.end - written_from]);
        }
        self.out.push(b'}');
        Some(())
    }

    /// A key's text between its quotes, when it has no escape (then it is its own value).
    fn plain_key(&mut self) -> Option<&'a [u8]> {
        if self.next()? != b'"' {
            return None;
        }
        let from = self.at;
        loop {
            match self.next()? {
                b'"' => return Some(&self.bytes[from..self.at - 1]),
                b'\\' => return None,
                byte if byte < 0x20 => return None,
                _ => {}
            }
        }
    }

    /// A string: as it came when it has no escape (`serde_json` writes such a string back
    /// unchanged), otherwise read and written by `serde_json`.
    fn string(&mut self) -> Option<()> {
        let from = self.at;
        self.at += 1;
        let mut escaped = false;
        loop {
            match self.next()? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.next()?;
                }
                byte if byte < 0x20 => return None,
                _ => {}
            }
        }
        let text = &self.bytes[from..self.at];
        if escaped {
            let decoded: String = serde_json::from_slice(text).ok()?;
            serde_json::to_writer(&mut self.out, &decoded).ok()?;
        } else {
            self.out.extend_from_slice(text);
        }
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let text = self.bytes.get(self.at..self.at + word.len())?;
        if text != word {
            return None;
        }
        self.at += word.len();
        self.out.extend_from_slice(word);
        Some(())
    }

    /// An integer written as `serde_json` writes it back: no sign on zero, no leading zero.
    fn integer(&mut self) -> Option<()> {
        let from = self.at;
        let negative = self.peek()? == b'-';
        if negative {
            self.at += 1;
        }
        let digits_from = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        let digits = &self.bytes[digits_from..self.at];
        let well_formed = !digits.is_empty()
            && digits.len() <= MOST_DIGITS
            && (digits[0] != b'0' || digits.len() == 1)
            && !(negative && digits == b"0");
        if !well_formed || matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.out.extend_from_slice(&self.bytes[from..self.at]);
        Some(())
    }
}
