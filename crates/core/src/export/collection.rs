//! JSON export of a merged view: one bundle per author, each a valid bundle of the published
//! format, wrapped with a header. Re-importing it merges to the same view.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{entries, ExportContext};
use crate::bundle::{parse_bundle, Bundle, BundleError};
use crate::merge::Community;
use crate::readiness::{author_group, checklist, Principle};

pub const COLLECTION_FORMAT: &str = "networkshop.collection";
pub const COLLECTION_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collection {
    pub format: String,
    pub version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub generated_at: OffsetDateTime,
    pub bundles: Vec<Bundle>,
    /// Seed 000's checklist of each partnership, for readers that do not compute it. Derived
    /// from the bundles and never read back into a view: a file cannot make a partnership
    /// ready by saying so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readiness: Vec<PartnershipReadiness>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnershipReadiness {
    pub author: String,
    pub record: Uuid,
    pub ready_to_announce: bool,
    /// The principles not met, in the seed's order.
    pub unmet: Vec<Principle>,
}

fn readiness(community: &Community) -> Vec<PartnershipReadiness> {
    entries(community)
        .into_iter()
        .filter_map(|(author, record)| {
            let list = checklist(record, author_group(author))?;
            Some(PartnershipReadiness {
                author: author.id.clone(),
                record: record.id,
                ready_to_announce: list.ready_to_announce(),
                unmet: list.unmet().collect(),
            })
        })
        .collect()
}

pub fn to_collection(community: &Community, context: &ExportContext) -> String {
    let collection = Collection {
        format: COLLECTION_FORMAT.into(),
        version: COLLECTION_VERSION,
        generated_at: context.generated_at,
        bundles: community.bundles(),
        readiness: readiness(community),
    };
    serde_json::to_string_pretty(&collection).expect("a collection always serialises")
}

/// Reads a collection back, each bundle through the same checks as a published one; the first
/// bad bundle is reported with its position.
pub fn parse_collection(bytes: &[u8]) -> Result<Vec<Bundle>, (Option<usize>, BundleError)> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        (
            None,
            BundleError::NotJson {
                line: e.line(),
                column: e.column(),
            },
        )
    })?;
    if value.get("format").and_then(Value::as_str) != Some(COLLECTION_FORMAT) {
        return Err((None, BundleError::NotABundle));
    }
    let items = value
        .get("bundles")
        .and_then(Value::as_array)
        .ok_or((None, BundleError::NotABundle))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let bytes = serde_json::to_vec(item).unwrap_or_default();
            parse_bundle(&bytes).map_err(|e| (Some(i), e))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample;

    #[test]
    fn parses_back_into_the_same_view() {
        let community = sample::community();
        let text = to_collection(&community, &sample::context());
        let bundles = parse_collection(text.as_bytes()).expect("valid");
        assert_eq!(bundles.len(), 2);
        let mut again = Community::new();
        for bundle in bundles {
            again.add_bundle(bundle);
        }
        assert_eq!(again, community);
    }

    #[test]
    fn the_new_fields_survive_and_each_partnership_says_if_it_is_ready() {
        for (community, ready, unmet) in [
            (sample::detailed(), true, vec![]),
            (
                sample::community(),
                false,
                vec![
                    Principle::Voluntary,
                    Principle::MultiStakeholder,
                    Principle::ValueAdded,
                    Principle::ConcreteResults,
                    Principle::Funding,
                ],
            ),
        ] {
            let text = to_collection(&community, &sample::context());
            let mut again = Community::new();
            for bundle in parse_collection(text.as_bytes()).expect("valid") {
                again.add_bundle(bundle);
            }
            assert_eq!(again, community, "every field read back");
            let collection: Collection = serde_json::from_str(&text).expect("a collection");
            assert_eq!(
                collection.readiness,
                vec![PartnershipReadiness {
                    author: "jean".into(),
                    record: Uuid::from_u128(4),
                    ready_to_announce: ready,
                    unmet,
                }]
            );
        }
        let value: Value =
            serde_json::from_str(&to_collection(&sample::detailed(), &sample::context())).unwrap();
        let partnership = &value["bundles"][1]["records"][0]["partnership"];
        assert_eq!(partnership["partner_groups"]["ONG <Lien>"], "civil_society");
        assert_eq!(partnership["amount"], 5_500_000);
        assert_eq!(value["readiness"][0]["unmet"], Value::Array(vec![]));
    }

    fn has_string(value: &Value, wanted: &str) -> bool {
        match value {
            Value::String(s) => s == wanted,
            Value::Array(items) => items.iter().any(|v| has_string(v, wanted)),
            Value::Object(map) => map.values().any(|v| has_string(v, wanted)),
            _ => false,
        }
    }

    /// serde_json escapes U+0000 to U+001F (RFC 8259); DEL and C1 controls are legal JSON
    /// and pass as they are, which no JSON reader minds.
    #[test]
    fn every_json_export_escapes_control_characters() {
        use crate::export::Format;
        let community = sample::hostile_community();
        for format in [Format::Json, Format::JsonLd, Format::CslJson] {
            let text = format.render(&community, &sample::context());
            // Pretty printing's own line breaks are the only raw ones.
            assert!(!text.contains(|c| c < ' ' && c != '\n'), "{format:?}");
            assert!(text.contains(r"a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:b\rc\u0000d"));
            let value: Value = serde_json::from_str(&text).expect("parses back");
            assert!(has_string(&value, sample::HOSTILE), "{format:?}");
        }
    }

    #[test]
    fn a_bundle_file_is_not_a_collection() {
        let bundle = sample::community().bundles().remove(0).to_json();
        assert!(matches!(
            parse_collection(bundle.as_bytes()),
            Err((None, BundleError::NotABundle))
        ));
    }

    #[test]
    fn a_broken_bundle_inside_is_named_by_position() {
        let mut value: Value =
            serde_json::from_str(&to_collection(&sample::community(), &sample::context())).unwrap();
        value["bundles"][1]["author"]["id"] = Value::from("not an id!");
        let bytes = serde_json::to_vec(&value).unwrap();
        assert!(matches!(parse_collection(&bytes), Err((Some(1), _))));
    }
}
