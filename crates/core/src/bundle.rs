//! The bundle: one author's JSON document, the unit stored on the endpoint and saved as a file.
//!
//! Decoding goes bytes → JSON value → format/version check → migration → typed bundle →
//! validation, and never panics: every failure is a [`BundleError`] the app can put in words.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::catalogue::Catalogue;
use crate::record::{AuthorProfile, Extra, Record};
use crate::strict_json::{self, StrictError};
use crate::validate::{validate_profile, validate_records, FieldError};

pub const BUNDLE_FORMAT: &str = "networkshop.bundle";
pub const BUNDLE_VERSION: u64 = 1;
/// Larger than any one author's honest inventory (about 2,000 long records), small enough that
/// the endpoint and a phone can hold a few hundred of them.
pub const MAX_BUNDLE_BYTES: usize = 4 * 1024 * 1024;
pub const MAX_RECORDS_PER_BUNDLE: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    pub format: String,
    pub version: u64,
    pub author: AuthorProfile,
    pub records: Vec<Record>,
    #[serde(with = "time::serde::rfc3339")]
    pub generated_at: OffsetDateTime,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum BundleError {
    TooLarge {
        size: usize,
        limit: usize,
    },
    NotJson {
        line: usize,
        column: usize,
    },
    /// Valid JSON, but not a Networkshop bundle (no or another `format`).
    NotABundle,
    /// Made by a newer version of Networkshop: the participant should update the app.
    NewerVersion {
        found: u64,
        supported: u64,
    },
    /// An old version this build has no migration for.
    UnsupportedVersion {
        found: u64,
    },
    /// A field has the wrong type or shape.
    Malformed {
        path: String,
        message: String,
    },
    TooManyRecords {
        count: usize,
        limit: usize,
    },
    Invalid {
        errors: Vec<FieldError>,
    },
    /// Bytes that are not UTF-8 text, at this byte offset.
    NotUtf8 {
        offset: usize,
    },
    /// The same key twice in one object: readers would disagree on which one counts.
    DuplicateKey {
        path: String,
    },
    /// A published file without a signature (made before bundles were signed, or forged).
    Unsigned,
    /// A signature that does not match the file: altered after signing, or forged.
    BadSignature,
    /// The file's name is not its author's id: a file cannot speak for another author.
    WrongFileName {
        author: String,
    },
    /// Signed by another key than the one this author's earlier files were signed with.
    KeyChanged {
        author: String,
    },
}

impl BundleError {
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::TooLarge { .. } => "too_large",
            BundleError::NotJson { .. } => "not_json",
            BundleError::NotABundle => "not_a_bundle",
            BundleError::NewerVersion { .. } => "newer_version",
            BundleError::UnsupportedVersion { .. } => "unsupported_version",
            BundleError::Malformed { .. } => "malformed",
            BundleError::TooManyRecords { .. } => "too_many_records",
            BundleError::Invalid { .. } => "invalid",
            BundleError::NotUtf8 { .. } => "not_utf8",
            BundleError::DuplicateKey { .. } => "duplicate_key",
            BundleError::Unsigned => "unsigned",
            BundleError::BadSignature => "bad_signature",
            BundleError::WrongFileName { .. } => "wrong_file_name",
            BundleError::KeyChanged { .. } => "key_changed",
        }
    }
}

impl std::fmt::Display for BundleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BundleError::Malformed { path, message } => write!(f, "malformed at {path}: {message}"),
            BundleError::Invalid { errors } => {
                write!(f, "invalid: {} field error(s)", errors.len())
            }
            other => f.write_str(other.code()),
        }
    }
}

impl std::error::Error for BundleError {}

/// One migration step: turns a bundle of version `n` into version `n + 1`.
type Migration = fn(Value) -> Value;

/// `MIGRATIONS[i]` upgrades version `i + FIRST_MIGRATABLE_VERSION`. Version 1 is the first
/// published format, so there is nothing to migrate yet; a version 2 adds its step here and
/// bumps [`BUNDLE_VERSION`], and every version-1 file keeps opening.
const FIRST_MIGRATABLE_VERSION: u64 = 1;
const MIGRATIONS: &[Migration] = &[];

fn migrate(mut value: Value, found: u64) -> Result<Value, BundleError> {
    if found > BUNDLE_VERSION {
        return Err(BundleError::NewerVersion {
            found,
            supported: BUNDLE_VERSION,
        });
    }
    if found < FIRST_MIGRATABLE_VERSION {
        return Err(BundleError::UnsupportedVersion { found });
    }
    for step in &MIGRATIONS[(found - FIRST_MIGRATABLE_VERSION) as usize..] {
        value = step(value);
    }
    if let Some(object) = value.as_object_mut() {
        object.insert("version".into(), BUNDLE_VERSION.into());
    }
    Ok(value)
}

/// Decodes and validates a bundle against the WSIS catalogue.
pub fn parse_bundle(bytes: &[u8]) -> Result<Bundle, BundleError> {
    parse_bundle_with(bytes, Catalogue::wsis())
}

pub fn parse_bundle_with(bytes: &[u8], catalogue: &Catalogue) -> Result<Bundle, BundleError> {
    validated(bundle_from_value(decode_value(bytes)?)?, catalogue)
}

pub(crate) fn validated(bundle: Bundle, catalogue: &Catalogue) -> Result<Bundle, BundleError> {
    let errors = bundle.validate(catalogue);
    if errors.is_empty() {
        Ok(bundle)
    } else {
        Err(BundleError::Invalid { errors })
    }
}

/// Decodes a backup file: everything a participant saved, incomplete drafts included. Only what
/// no draft can be is refused: a bad author id, another author's records, a repeated id, or
/// text and lists over their limits.
pub fn parse_backup(bytes: &[u8]) -> Result<Bundle, BundleError> {
    use crate::validate::ErrorCode;
    let bundle = decode_bundle(bytes)?;
    let errors: Vec<FieldError> = bundle
        .validate(Catalogue::wsis())
        .into_iter()
        .filter(|e| {
            matches!(
                e.code,
                ErrorCode::InvalidAuthorId
                    | ErrorCode::AuthorMismatch
                    | ErrorCode::DuplicateRecord
                    | ErrorCode::TooLong
                    | ErrorCode::TooMany
                    | ErrorCode::InvalidRevision
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(bundle)
    } else {
        Err(BundleError::Invalid { errors })
    }
}

/// Decodes and migrates without validating the content: for files the participant is about to
/// repair rather than publish.
pub fn decode_bundle(bytes: &[u8]) -> Result<Bundle, BundleError> {
    bundle_from_value(decode_value(bytes)?)
}

/// Bytes to a JSON value, strictly: a size limit, UTF-8 only, no repeated keys.
pub(crate) fn decode_value(bytes: &[u8]) -> Result<Value, BundleError> {
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(BundleError::TooLarge {
            size: bytes.len(),
            limit: MAX_BUNDLE_BYTES,
        });
    }
    if let Err(error) = std::str::from_utf8(bytes) {
        return Err(BundleError::NotUtf8 {
            offset: error.valid_up_to(),
        });
    }
    strict_json::parse(bytes).map_err(|error| match error {
        StrictError::Syntax { line, column } => BundleError::NotJson { line, column },
        StrictError::DuplicateKey { path } => BundleError::DuplicateKey { path },
    })
}

/// A JSON value to a bundle of the current version, unvalidated.
pub(crate) fn bundle_from_value(value: Value) -> Result<Bundle, BundleError> {
    let found = check_header(&value)?;
    let value = migrate(value, found)?;
    serde_path_to_error::deserialize(value).map_err(|e| BundleError::Malformed {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

/// The format, version and record count a reader checks first: a file from a newer app is
/// reported as such, whatever else it holds. Gives the version found.
pub(crate) fn check_header(value: &Value) -> Result<u64, BundleError> {
    let Some(object) = value.as_object() else {
        return Err(BundleError::NotABundle);
    };
    if object.get("format").and_then(Value::as_str) != Some(BUNDLE_FORMAT) {
        return Err(BundleError::NotABundle);
    }
    let found = object
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| BundleError::Malformed {
            path: "version".into(),
            message: "expected a positive whole number".into(),
        })?;
    if let Some(count) = object
        .get("records")
        .and_then(Value::as_array)
        .map(Vec::len)
    {
        if count > MAX_RECORDS_PER_BUNDLE {
            return Err(BundleError::TooManyRecords {
                count,
                limit: MAX_RECORDS_PER_BUNDLE,
            });
        }
    }
    if found > BUNDLE_VERSION {
        return Err(BundleError::NewerVersion {
            found,
            supported: BUNDLE_VERSION,
        });
    }
    Ok(found)
}

impl Bundle {
    pub fn new(
        author: AuthorProfile,
        records: Vec<Record>,
        generated_at: OffsetDateTime,
    ) -> Bundle {
        Bundle {
            format: BUNDLE_FORMAT.into(),
            version: BUNDLE_VERSION,
            author,
            records,
            generated_at,
            extra: Default::default(),
        }
    }

    pub fn validate(&self, catalogue: &Catalogue) -> Vec<FieldError> {
        let mut errors: Vec<FieldError> = validate_profile(&self.author)
            .into_iter()
            .map(|mut e| {
                e.field = format!("author.{}", e.field);
                e
            })
            .collect();
        errors.extend(validate_records(&self.author.id, &self.records, catalogue));
        errors
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a bundle always serialises")
    }
}

#[cfg(test)]
mod tests;
