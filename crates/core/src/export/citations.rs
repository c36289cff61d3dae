//! CSL-JSON of the documents: what Zotero and other reference managers import
//! (the Citation Style Language's data schema, an array of items).

use serde_json::{json, Map, Value};

use super::{entries, topic_titles, ExportContext};
use crate::merge::Community;
use crate::record::Kind;

pub fn to_csl_json(community: &Community, context: &ExportContext) -> String {
    let items: Vec<Value> = entries(community)
        .into_iter()
        .filter(|(_, r)| r.kind == Kind::Document)
        .map(|(author, record)| {
            let mut item = Map::new();
            item.insert("id".into(), json!(record.id.to_string()));
            item.insert("type".into(), json!("document"));
            item.insert("title".into(), json!(record.title));
            // The organisation is the document's author when there is one; a person otherwise.
            let creator = if author.organisation.is_empty() {
                &author.display_name
            } else {
                &author.organisation
            };
            item.insert("author".into(), json!([{ "literal": creator }]));
            if !record.description.is_empty() {
                item.insert("abstract".into(), json!(record.description));
            }
            let details = record.document.as_ref();
            if let Some(year) = details.and_then(|d| d.year) {
                item.insert("issued".into(), json!({ "date-parts": [[year]] }));
            }
            let language = details
                .and_then(|d| d.language.clone())
                .or_else(|| record.languages.first().cloned());
            if let Some(language) = language {
                item.insert("language".into(), json!(language));
            }
            if let Some(url) = &record.url {
                item.insert("URL".into(), json!(url));
            }
            item.insert(
                "keyword".into(),
                json!(topic_titles(record, context).join(", ")),
            );
            item.insert(
                "note".into(),
                json!(format!("WSIS Plan of Action: {}", record.topics.join(", "))),
            );
            Value::Object(item)
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("JSON values always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample;
    use serde::Deserialize;

    /// The part of the CSL data schema we write, read back strictly.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: String,
        #[serde(rename = "type")]
        kind: String,
        title: String,
        author: Vec<Name>,
        issued: Option<DateParts>,
        language: Option<String>,
        #[serde(rename = "URL")]
        url: Option<String>,
        #[serde(rename = "abstract")]
        summary: Option<String>,
        keyword: String,
        note: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Name {
        literal: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DateParts {
        #[serde(rename = "date-parts")]
        date_parts: Vec<Vec<i32>>,
    }

    #[test]
    fn documents_parse_back_as_csl_items() {
        let text = to_csl_json(&sample::community(), &sample::context());
        let items: Vec<Item> = serde_json::from_str(&text).expect("CSL-JSON items");
        assert_eq!(items.len(), 1, "only the document");
        let item = &items[0];
        assert_eq!(item.id, "00000000-0000-0000-0000-000000000002");
        assert_eq!(item.kind, "document");
        assert_eq!(item.title, "Guide de la formation à distance");
        assert_eq!(item.author[0].literal, "Réseau \"Femmes, TIC\"; Dakar");
        assert_eq!(item.issued.as_ref().unwrap().date_parts, vec![vec![2004]]);
        assert_eq!(item.language.as_deref(), Some("fr"));
        assert!(item.url.is_none() && item.summary.is_none());
        assert!(item.note.ends_with("C4"));
        assert!(!item.keyword.is_empty());
    }
}
