//! A believed bundle as a reader keeps it (the facilitator's copies of everyone's files in
//! IndexedDB): postcard's binary form of its fields, in a fixed order, not the JSON it arrived
//! as. Opening a map of 200,000 records again read 60 MB of JSON; this form is about half the
//! bytes and reads about three times faster (`cargo bench -p networkshop-core --bench merge`,
//! "kept form").
//!
//! The fields a bundle rarely has (event, document and partnership details, members this build
//! does not know) are kept as their JSON text inside, so the form holds every bundle whole:
//! read back, it equals the bundle written. Times keep their offset, which a record's canonical
//! text (the merge's tie-break) depends on.

use serde::ser::{Serialize, SerializeSeq, Serializer};
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;

use crate::bundle::Bundle;
use crate::record::{AuthorProfile, Extra, Kind, Record, Region, StakeholderGroup};

/// Seconds since 1970, nanoseconds, and the offset from UTC in seconds.
type Moment = (i64, u32, i32);

type ProfileParts = (
    String,
    String,
    String,
    StakeholderGroup,
    String,
    Region,
    Option<String>,
    Option<String>,
);

type RecordParts = (
    u128,
    Kind,
    String,
    String,
    Vec<String>,
    Vec<String>,
    u64,
    Moment,
    String,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Moment>,
    Option<String>,
);

type BundleParts = (
    String,
    u64,
    ProfileParts,
    Vec<RecordParts>,
    Moment,
    Option<String>,
);

/// `bundle` in the kept form.
pub fn keep(bundle: &Bundle) -> Vec<u8> {
    let profile = &bundle.author;
    let parts = (
        &bundle.format,
        bundle.version,
        (
            &profile.id,
            &profile.display_name,
            &profile.organisation,
            profile.stakeholder_group,
            &profile.country,
            profile.region,
            &profile.contact,
            extra_text(&profile.extra),
        ),
        Records(&bundle.records),
        moment(bundle.generated_at),
        extra_text(&bundle.extra),
    );
    // Writing to memory fails only for what serde cannot write, which no bundle holds.
    postcard::to_allocvec(&parts).unwrap_or_default()
}

/// The bundle kept as `bytes`; `None` when they are not one in this form (cut short, or
/// written otherwise).
pub fn read(bytes: &[u8]) -> Option<Bundle> {
    let (parts, rest): (BundleParts, _) = postcard::take_from_bytes(bytes).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let (format, version, profile, records, generated_at, extra) = parts;
    let (id, display_name, organisation, stakeholder_group, country, region, contact, more) =
        profile;
    let author = AuthorProfile {
        id,
        display_name,
        organisation,
        stakeholder_group,
        country,
        region,
        contact,
        extra: extra_from(more)?,
    };
    // Counted first: collected through `Option`, the list grew by doubling (a copy of every
    // record read, several times over).
    let mut read_records = Vec::with_capacity(records.len());
    for parts in records {
        read_records.push(record_from(parts)?);
    }
    Some(Bundle {
        format,
        version,
        author,
        records: read_records,
        generated_at: from_moment(generated_at)?,
        extra: extra_from(extra)?,
    })
}

/// The records, written one by one without copying them into parts first.
struct Records<'a>(&'a [Record]);

impl Serialize for Records<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for record in self.0 {
            seq.serialize_element(&(
                record.id.as_u128(),
                record.kind,
                &record.title,
                &record.description,
                &record.topics,
                &record.languages,
                record.revision,
                moment(record.updated_at),
                &record.author,
                record.deleted,
                &record.url,
                json_text(&record.event),
                json_text(&record.document),
                json_text(&record.partnership),
                record.confirmed_at.map(moment),
                extra_text(&record.extra),
            ))?;
        }
        seq.end()
    }
}

fn record_from(parts: RecordParts) -> Option<Record> {
    let (
        id,
        kind,
        title,
        description,
        topics,
        languages,
        revision,
        updated_at,
        author,
        deleted,
        url,
        event,
        document,
        partnership,
        confirmed_at,
        extra,
    ) = parts;
    Some(Record {
        id: Uuid::from_u128(id),
        kind,
        title,
        description,
        topics,
        languages,
        revision,
        updated_at: from_moment(updated_at)?,
        author,
        deleted,
        url,
        event: json_from(event)?,
        document: json_from(document)?,
        partnership: json_from(partnership)?,
        confirmed_at: match confirmed_at {
            Some(at) => Some(from_moment(at)?),
            None => None,
        },
        extra: extra_from(extra)?,
    })
}

fn moment(at: OffsetDateTime) -> Moment {
    (
        at.unix_timestamp(),
        at.nanosecond(),
        at.offset().whole_seconds(),
    )
}

fn from_moment((seconds, nanoseconds, offset): Moment) -> Option<OffsetDateTime> {
    let offset = UtcOffset::from_whole_seconds(offset).ok()?;
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()?
        .replace_nanosecond(nanoseconds)
        .ok()?
        .checked_to_offset(offset)
}

fn json_text<T: serde::Serialize>(value: &Option<T>) -> Option<String> {
    value
        .as_ref()
        .map(|value| serde_json::to_string(value).unwrap_or_default())
}

/// `Some(None)` for no text, `None` for text that is not a `T`.
fn json_from<T: serde::de::DeserializeOwned>(text: Option<String>) -> Option<Option<T>> {
    match text {
        Some(text) => serde_json::from_str(&text).ok().map(Some),
        None => Some(None),
    }
}

fn extra_text(extra: &Extra) -> Option<String> {
    (!extra.is_empty()).then(|| serde_json::to_string(extra).unwrap_or_default())
}

fn extra_from(text: Option<String>) -> Option<Extra> {
    Some(json_from(text)?.unwrap_or_default())
}

#[cfg(test)]
mod tests;
