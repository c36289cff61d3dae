//! JSON decoding that refuses what lenient readers disagree on.
//!
//! `serde_json` keeps the last of two equal keys while other readers keep the first, so one
//! file could show one thing to the map and another to an export or a signature check. Here a
//! repeated key anywhere is an error that names its path. Invalid UTF-8 and lone surrogate
//! escapes are already errors in `serde_json`.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StrictError {
    Syntax { line: usize, column: usize },
    DuplicateKey { path: String },
}

/// Parses one JSON document; nesting deeper than `serde_json`'s limit (128) is a syntax error.
pub fn parse(bytes: &[u8]) -> Result<Value, StrictError> {
    let duplicate = RefCell::new(None);
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let parsed = StrictValue {
        at: &Step::Root,
        duplicate: &duplicate,
    }
    .deserialize(&mut reader)
    .and_then(|value| reader.end().map(|()| value));
    parsed.map_err(|error| match duplicate.into_inner() {
        Some(path) => StrictError::DuplicateKey { path },
        None => StrictError::Syntax {
            line: error.line(),
            column: error.column(),
        },
    })
}

/// Where a value sits, as a chain of borrowed steps up to the document: the path is written
/// out only for a repeated key (writing it for every value was a tenth of a first visit's
/// reading of 10,000 files).
enum Step<'a> {
    Root,
    Key(&'a str, &'a Step<'a>),
    Index(usize, &'a Step<'a>),
}

impl Step<'_> {
    fn path(&self) -> String {
        match self {
            Step::Root => String::new(),
            Step::Key(key, Step::Root) => (*key).to_owned(),
            Step::Key(key, parent) => format!("{}.{key}", parent.path()),
            Step::Index(index, parent) => format!("{}[{index}]", parent.path()),
        }
    }
}

struct StrictValue<'a> {
    at: &'a Step<'a>,
    duplicate: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("not a finite number"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let at = Step::Index(items.len(), self.at);
            let item = StrictValue {
                at: &at,
                duplicate: self.duplicate,
            };
            match seq.next_element_seed(item)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = Step::Key(&key, self.at);
            if object.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(at.path());
                return Err(de::Error::custom("duplicate key"));
            }
            let value = map.next_value_seed(StrictValue {
                at: &at,
                duplicate: self.duplicate,
            })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_refused_with_its_path() {
        assert_eq!(
            parse(br#"{"author": {"id": "alice", "name": "A", "id": "bob"}}"#),
            Err(StrictError::DuplicateKey {
                path: "author.id".into()
            })
        );
        assert_eq!(
            parse(br#"{"a": {"b": [[1], [{"c": 1, "c": 2}]]}}"#),
            Err(StrictError::DuplicateKey {
                path: "a.b[1][0].c".into()
            })
        );
        assert_eq!(
            parse(br#"{"records": [{}, {"t": 1, "t": 2}]}"#),
            Err(StrictError::DuplicateKey {
                path: "records[1].t".into()
            })
        );
    }

    #[test]
    fn the_same_key_in_sibling_objects_is_fine_and_values_match_serde_json() {
        let text =
            br#"{"a": [{"id": 1}, {"id": -2.5}], "b": {"id": null, "x": "\u00e9\ud83d\ude00"}}"#;
        let expected: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(parse(text).unwrap(), expected);
    }

    #[test]
    fn invalid_text_trailing_data_and_lone_surrogates_are_syntax_errors() {
        for bad in [
            &b"{\"a\": \"\xff\"}"[..],
            br#"{"a": "\ud800"}"#,
            br#"{"a": 1} {"b": 2}"#,
            br#"{"a": 1,}"#,
        ] {
            assert!(
                matches!(parse(bad), Err(StrictError::Syntax { .. })),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let deep = "[".repeat(10_000);
        assert!(matches!(
            parse(deep.as_bytes()),
            Err(StrictError::Syntax { .. })
        ));
    }
}
