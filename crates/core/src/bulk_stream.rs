//! The files of a bulk answer taken out while its bytes arrive: the entries of a checkpoint
//! (`{"seq": N, "bundles": [entry, …]}`) or of the changes after one (`{"seq": N,
//! "checkpoint": …, "changed": [entry, …]}`), so that a reader believes and shows the first
//! files while the rest download (60 MB on conference Wi-Fi is minutes).
//!
//! Only the entries' boundaries are found here, by following strings, escapes and nesting byte
//! by byte; each entry is then read as JSON on its own by the caller, which also refuses an
//! entry that is not one. What is left of the document once the entries are out (its
//! skeleton, the array empty) is read as JSON too. A download cut off gives the entries that
//! arrived whole.

mod entry;
pub use entry::{read_entry, EntryParts};

/// The nesting of an element of the array: the document's object, then the array.
const ELEMENT_DEPTH: u32 = 2;

/// Finds the elements of one top-level array in a JSON document fed in pieces.
#[derive(Debug)]
pub struct EntrySplitter {
    /// The top-level key of the array whose elements are taken out.
    array: &'static [u8],
    /// Bytes received and not yet handed out: from the start of the element being read, or
    /// from the first byte not yet looked at.
    pending: Vec<u8>,
    /// How far into `pending` the scan has looked.
    scanned: usize,
    /// Where the element being read starts in `pending`.
    element: Option<usize>,
    /// The document without the array's elements (and the commas between them).
    skeleton: Vec<u8>,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// At the top level: the key being read, or the last one read.
    key: Vec<u8>,
    reading_key: bool,
    expecting_key: bool,
    in_array: bool,
    ended: bool,
}

/// What one byte was.
enum Seen {
    /// Part of the skeleton.
    Outside,
    /// Part of an element, or a comma between two.
    Inside,
    /// The end of the element that started at `start`; the byte itself (`,` or `]`) is kept in
    /// the skeleton when `kept`.
    Ends { start: usize, kept: bool },
}

impl EntrySplitter {
    /// A splitter for the elements of the top-level array under `array`.
    pub fn new(array: &'static str) -> EntrySplitter {
        EntrySplitter {
            array: array.as_bytes(),
            pending: Vec::new(),
            scanned: 0,
            element: None,
            skeleton: Vec::new(),
            depth: 0,
            in_string: false,
            escaped: false,
            key: Vec::new(),
            reading_key: false,
            expecting_key: false,
            in_array: false,
            ended: false,
        }
    }

    /// Takes the next bytes; returns the elements they complete, each as its own bytes.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        self.pending.extend_from_slice(bytes);
        let mut complete = Vec::new();
        while self.scanned < self.pending.len() {
            if self.element.is_some() && self.depth > ELEMENT_DEPTH {
                // Inside an element's own brackets (every byte of a file) only strings and
                // nesting matter until it closes, and nothing is kept.
                self.skip_within_element();
                if self.scanned == self.pending.len() {
                    break;
                }
            }
            let at = self.scanned;
            self.scanned += 1;
            let byte = self.pending[at];
            match self.step(byte, at) {
                Seen::Outside => self.skeleton.push(byte),
                Seen::Inside => {}
                Seen::Ends { start, kept } => {
                    complete.push(self.pending[start..at].trim_ascii_end().to_vec());
                    if kept {
                        self.skeleton.push(byte);
                    }
                }
            }
        }
        // Keep only what an element still being read needs.
        let keep_from = self.element.unwrap_or(self.scanned);
        self.pending.drain(..keep_from);
        self.scanned -= keep_from;
        if let Some(start) = self.element.as_mut() {
            *start -= keep_from;
        }
        complete
    }

    /// Moves `scanned` over an element's inside, up to the byte that closes its outer
    /// bracket (then left to [`EntrySplitter::step`]) or to the end of what has arrived. Byte by
    /// byte through [`EntrySplitter::step`] this was most of the page's time spent finding a
    /// first visit's files (0.4 s at 10,000 authors in the browser).
    fn skip_within_element(&mut self) {
        let bytes = &self.pending;
        let mut at = self.scanned;
        while at < bytes.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    at += 1;
                    continue;
                }
                // Titles, descriptions, signatures: only a quote or a backslash matters.
                match memchr::memchr2(b'"', b'\\', &bytes[at..]) {
                    Some(offset) => at += offset,
                    None => {
                        at = bytes.len();
                        break;
                    }
                }
                if bytes[at] == b'\\' {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                }
                at += 1;
                continue;
            }
            match bytes[at] {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' if self.depth == ELEMENT_DEPTH + 1 => break,
                b'}' | b']' => self.depth -= 1,
                _ => {}
            }
            at += 1;
        }
        self.scanned = at;
    }

    /// The document so far without the array's elements: once it has all arrived, the
    /// document as if the array were empty.
    pub fn skeleton(&self) -> &[u8] {
        &self.skeleton
    }

    fn here(&self) -> Seen {
        if self.element.is_some() {
            Seen::Inside
        } else {
            Seen::Outside
        }
    }

    /// Looks at one byte at `at`.
    fn step(&mut self, byte: u8, at: usize) -> Seen {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if byte == b'\\' {
                self.escaped = true;
            } else if byte == b'"' {
                self.in_string = false;
                self.reading_key = false;
            }
            if self.reading_key {
                self.key.push(byte);
            }
            return self.here();
        }
        if byte.is_ascii_whitespace() || self.ended {
            // Nothing after the document is an element.
            return self.here();
        }
        if self.in_array && self.depth == 2 {
            match byte {
                b',' => {
                    return match self.element.take() {
                        Some(start) => Seen::Ends { start, kept: false },
                        None => Seen::Inside,
                    }
                }
                b']' => {
                    self.depth = 1;
                    self.in_array = false;
                    return match self.element.take() {
                        Some(start) => Seen::Ends { start, kept: true },
                        None => Seen::Outside,
                    };
                }
                _ if self.element.is_none() => self.element = Some(at),
                _ => {}
            }
        }
        match byte {
            b'"' => {
                self.in_string = true;
                if self.depth == 1 && self.expecting_key {
                    self.reading_key = true;
                    self.expecting_key = false;
                    self.key.clear();
                }
            }
            b'{' | b'[' => {
                if self.depth == 0 && byte == b'{' {
                    self.expecting_key = true;
                }
                if self.depth == 1 && byte == b'[' && self.key == self.array {
                    self.in_array = true;
                }
                self.depth += 1;
            }
            b'}' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                self.ended = self.depth == 0;
            }
            b',' if self.depth == 1 => self.expecting_key = true,
            _ => {}
        }
        self.here()
    }
}

#[cfg(test)]
mod tests;
