//! schema.org JSON-LD: authors as Organization (or Person), events as Event, documents as
//! CreativeWork, networks as Organization, projects and partnerships as Project; each resource
//! links to its author and is `about` its topics, themselves DefinedTerms of the Plan of Action.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

mod details;

use super::{entries, ready, ExportContext};
use crate::catalogue::Sdg;
use crate::merge::Community;
use crate::record::Kind;

const TOPIC_SET: &str = "urn:networkshop:wsis-plan-of-action";

fn author_node(id: &str) -> String {
    format!("urn:networkshop:author:{id}")
}

fn topic_node(id: &str) -> String {
    format!("{TOPIC_SET}:{id}")
}

/// The UN's own linked-data names for the goals (the SDG knowledge organisation system), so
/// that a reader can join our records with other SDG-tagged data.
const GOAL_SET: &str = "http://metadata.un.org/sdg";

fn goal_node(number: u8) -> String {
    format!("{GOAL_SET}/{number}")
}

pub fn to_json_ld(community: &Community, context: &ExportContext) -> String {
    let mut graph = Vec::new();
    for author in community.authors() {
        let mut node = Map::new();
        node.insert("@id".into(), json!(author_node(&author.id)));
        if author.organisation.is_empty() {
            node.insert("@type".into(), json!("Person"));
            node.insert("name".into(), json!(author.display_name));
        } else {
            node.insert("@type".into(), json!("Organization"));
            node.insert("name".into(), json!(author.organisation));
            node.insert(
                "member".into(),
                json!({ "@type": "Person", "name": author.display_name }),
            );
        }
        if !author.country.is_empty() {
            node.insert("addressCountry".into(), json!(author.country));
        }
        if let Some(contact) = &author.contact {
            let key = if contact.contains('@') && !contact.contains("://") {
                "email"
            } else {
                "url"
            };
            node.insert(key.into(), json!(contact));
        }
        graph.push(Value::Object(node));
    }
    let mut topics = BTreeSet::new();
    let mut goals = BTreeSet::new();
    for (author, record) in entries(community) {
        let kind = match record.kind {
            Kind::Event => "Event",
            Kind::Document => "CreativeWork",
            Kind::Network => "Organization",
            Kind::Project | Kind::Partnership => "Project",
        };
        let mut node = Map::new();
        node.insert("@id".into(), json!(format!("urn:uuid:{}", record.id)));
        node.insert("@type".into(), json!(kind));
        node.insert("name".into(), json!(record.title));
        if !record.description.is_empty() {
            node.insert("description".into(), json!(record.description));
        }
        if let Some(url) = &record.url {
            node.insert("url".into(), json!(url));
        }
        if !record.languages.is_empty() {
            node.insert("inLanguage".into(), json!(record.languages));
        }
        node.insert(
            "dateModified".into(),
            json!(super::rfc3339(record.updated_at)),
        );
        // When the author last said it is still current.
        node.insert(
            "lastReviewed".into(),
            json!(super::rfc3339(record.last_confirmed())),
        );
        let by = json!({ "@id": author_node(&author.id) });
        let by_key = match record.kind {
            Kind::Event => "organizer",
            Kind::Document => "author",
            Kind::Network => "founder",
            Kind::Project | Kind::Partnership => "sponsor",
        };
        node.insert(by_key.into(), by);
        if let Some(event) = &record.event {
            node.insert("startDate".into(), json!(event.starts_on));
            node.insert("endDate".into(), json!(event.ends_on));
            let mut locations = Vec::new();
            if let Some(place) = &event.place {
                locations.push(json!({ "@type": "Place", "name": place }));
            }
            if let Some(url) = &event.online_url {
                locations.push(json!({ "@type": "VirtualLocation", "url": url }));
            }
            if !locations.is_empty() {
                node.insert("location".into(), Value::Array(locations));
            }
            details::event(&mut node, event);
        }
        if let Some(year) = record.document.as_ref().and_then(|d| d.year) {
            node.insert("datePublished".into(), json!(year.to_string()));
        }
        if let Some(partnership) = &record.partnership {
            let ready = ready(author, record).unwrap_or_default();
            details::partnership(&mut node, partnership, ready);
        }
        let record_goals = context.catalogue.sdgs_of_topics(&record.topics);
        let about: Vec<Value> = record
            .topics
            .iter()
            .map(|t| json!({ "@id": topic_node(t) }))
            .chain(record_goals.iter().map(|g| json!({ "@id": goal_node(*g) })))
            .collect();
        node.insert("about".into(), Value::Array(about));
        topics.extend(record.topics.iter().map(String::as_str));
        goals.extend(record_goals);
        graph.push(Value::Object(node));
    }
    for id in topics {
        let name = context
            .catalogue
            .get(id)
            .map(|t| t.title(context.lang))
            .unwrap_or(id);
        graph.push(json!({
            "@id": topic_node(id),
            "@type": "DefinedTerm",
            "termCode": id,
            "name": name,
            "inDefinedTermSet": TOPIC_SET,
        }));
    }
    for goal in goals.into_iter().filter_map(Sdg::get) {
        graph.push(json!({
            "@id": goal_node(goal.number),
            "@type": "DefinedTerm",
            "termCode": goal.number.to_string(),
            "name": goal.name(context.lang),
            "inDefinedTermSet": GOAL_SET,
        }));
    }
    let document = json!({ "@context": "https://schema.org", "@graph": graph });
    serde_json::to_string_pretty(&document).expect("JSON values always serialise")
}

#[cfg(test)]
mod tests;
