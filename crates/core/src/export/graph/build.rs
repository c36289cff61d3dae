//! The graph's nodes and edges, before any XML.

use std::collections::{BTreeMap, BTreeSet};

use super::{actor, goals, partner, resource, topic, Edge, Node};
use crate::export::{codes, entries, ready, rfc3339, ExportContext};
use crate::merge::Community;
use crate::record::{code, AuthorProfile, Record, StakeholderGroup};

fn edge(source: String, target: String, relation: &'static str) -> Edge {
    Edge {
        source,
        target,
        relation,
        weight: 1,
    }
}

fn number(n: Option<impl ToString>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Seed 003's and seed 000's fields of a resource: empty where the record does not say.
fn resource_attributes(
    author: &AuthorProfile,
    record: &Record,
    context: &ExportContext,
) -> Vec<(&'static str, String)> {
    let mut attributes = vec![
        ("type", "resource".to_owned()),
        ("kind", code(&record.kind)),
        (
            "sdgs",
            goals(context.catalogue.sdgs_of_topics(&record.topics)),
        ),
        ("last_confirmed", rfc3339(record.last_confirmed())),
    ];
    if let Some(event) = &record.event {
        attributes.extend([
            (
                "event_format",
                event.format.as_ref().map(code).unwrap_or_default(),
            ),
            ("speakers_women", number(event.speakers_women)),
            ("speakers_men", number(event.speakers_men)),
        ]);
    }
    if let Some(p) = &record.partnership {
        attributes.extend([
            ("signatories", p.signatories.join("; ")),
            ("in_force_on", p.in_force_on.clone().unwrap_or_default()),
            ("ends_on", p.ends_on.clone().unwrap_or_default()),
            ("amount", number(p.amount)),
            ("currency", p.currency.clone().unwrap_or_default()),
            ("funding", code(&p.funding)),
            ("funding_sources", p.funding_sources.clone()),
            (
                "beneficiary_regions",
                codes(&p.beneficiary_regions).join("; "),
            ),
            ("domains", codes(&p.domains).join("; ")),
            ("value_added", codes(&p.value_added).join("; ")),
            ("voluntary_declaration", p.voluntary_declaration.to_string()),
        ]);
    }
    if let Some(ready) = ready(author, record) {
        attributes.push(("ready_to_announce", ready.to_string()));
    }
    attributes
}

pub(super) fn graph(community: &Community, context: &ExportContext) -> (Vec<Node>, Vec<Edge>) {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for author in community.authors() {
        nodes.push(Node {
            id: actor(&author.id),
            label: author.display_name.clone(),
            attributes: vec![
                ("type", "actor".into()),
                ("stakeholder_group", code(&author.stakeholder_group)),
                ("region", code(&author.region)),
            ],
        });
    }
    let mut topics_used = BTreeSet::new();
    let mut actors_by_topic: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    // Partner name → its group where some partnership gives one (the first such, in the
    // exports' order, so the same view gives the same file).
    let mut partners: BTreeMap<String, Option<StakeholderGroup>> = BTreeMap::new();
    for (author, record) in entries(community) {
        nodes.push(Node {
            id: resource(&record.id),
            label: record.title.clone(),
            attributes: resource_attributes(author, record, context),
        });
        edges.push(edge(actor(&author.id), resource(&record.id), "authored"));
        for id in &record.topics {
            edges.push(edge(resource(&record.id), topic(id), "tagged"));
            topics_used.insert(id.as_str());
            actors_by_topic.entry(id).or_default().insert(&author.id);
        }
        let rows = record.partnership.iter().flat_map(|p| p.partner_rows());
        for (name, group) in rows {
            edges.push(edge(resource(&record.id), partner(&name), "partner"));
            let known = partners.entry(name).or_default();
            *known = known.or(group);
        }
    }
    for (name, group) in partners {
        nodes.push(Node {
            id: partner(&name),
            label: name,
            attributes: vec![
                ("type", "partner".into()),
                (
                    "stakeholder_group",
                    group.as_ref().map(code).unwrap_or_default(),
                ),
            ],
        });
    }
    let mut topic_nodes = BTreeSet::new();
    for id in &topics_used {
        match context.catalogue.get(id) {
            Some(_) => topic_nodes.extend(
                context
                    .catalogue
                    .self_and_ancestors(id)
                    .into_iter()
                    .map(|t| t.id.as_str()),
            ),
            // Unknown ids only come from views of unvalidated drafts; keep them visible.
            None => {
                topic_nodes.insert(id);
            }
        }
    }
    for id in &topic_nodes {
        let known = context.catalogue.get(id);
        nodes.push(Node {
            id: topic(id),
            label: known
                .map(|t| format!("{id} {}", t.title(context.lang)))
                .unwrap_or_else(|| id.to_string()),
            attributes: vec![
                ("type", "topic".into()),
                ("sdgs", goals(context.catalogue.sdgs_of(id))),
            ],
        });
        if let Some(parent) = known.and_then(|t| t.parent.as_deref()) {
            edges.push(edge(topic(id), topic(parent), "broader"));
        }
    }
    let mut shared: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for actors in actors_by_topic.values() {
        let actors: Vec<&str> = actors.iter().copied().collect();
        for (i, a) in actors.iter().enumerate() {
            for b in &actors[i + 1..] {
                *shared.entry((a, b)).or_default() += 1;
            }
        }
    }
    edges.extend(shared.into_iter().map(|((a, b), weight)| Edge {
        source: actor(a),
        target: actor(b),
        relation: "share_topics",
        weight,
    }));
    (nodes, edges)
}
