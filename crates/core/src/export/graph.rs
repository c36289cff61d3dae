//! GEXF 1.3 of the thematic network, for Gephi and other graph tools.
//!
//! Nodes are actors, resources and topics (with the broader topics above them, so the Plan of
//! Action's hierarchy shows); edges say who `authored` what, which topic a resource is
//! `tagged` with, which topic is `broader`, and which actors `share_topics` (weight: how many).

use std::collections::{BTreeMap, BTreeSet};
use std::io;

use quick_xml::events::{BytesDecl, Event};
use quick_xml::Writer;

use super::escape::xml_text;
use super::{code, entries, ExportContext};
use crate::merge::Community;

pub const GEXF_NAMESPACE: &str = "http://gexf.net/1.3";

struct Node {
    id: String,
    label: String,
    attributes: [String; 5],
}

/// `sdgs`: the Sustainable Development Goals a resource or topic leads to ("3; 5; 17").
const NODE_ATTRIBUTES: [&str; 5] = ["type", "stakeholder_group", "region", "kind", "sdgs"];

fn goals(numbers: Vec<u8>) -> String {
    numbers
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

struct Edge {
    source: String,
    target: String,
    relation: &'static str,
    weight: usize,
}

fn actor(id: &str) -> String {
    format!("actor:{id}")
}

fn topic(id: &str) -> String {
    format!("topic:{id}")
}

fn resource(id: &uuid::Uuid) -> String {
    format!("resource:{id}")
}

fn graph(community: &Community, context: &ExportContext) -> (Vec<Node>, Vec<Edge>) {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for author in community.authors() {
        nodes.push(Node {
            id: actor(&author.id),
            label: author.display_name.clone(),
            attributes: [
                "actor".into(),
                code(&author.stakeholder_group),
                code(&author.region),
                String::new(),
                String::new(),
            ],
        });
    }
    let mut topics_used = BTreeSet::new();
    let mut actors_by_topic: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (author, record) in entries(community) {
        nodes.push(Node {
            id: resource(&record.id),
            label: record.title.clone(),
            attributes: [
                "resource".into(),
                String::new(),
                String::new(),
                code(&record.kind),
                goals(context.catalogue.sdgs_of_topics(&record.topics)),
            ],
        });
        edges.push(Edge {
            source: actor(&author.id),
            target: resource(&record.id),
            relation: "authored",
            weight: 1,
        });
        for id in &record.topics {
            edges.push(Edge {
                source: resource(&record.id),
                target: topic(id),
                relation: "tagged",
                weight: 1,
            });
            topics_used.insert(id.as_str());
            actors_by_topic.entry(id).or_default().insert(&author.id);
        }
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
            attributes: [
                "topic".into(),
                String::new(),
                String::new(),
                String::new(),
                goals(context.catalogue.sdgs_of(id)),
            ],
        });
        if let Some(parent) = known.and_then(|t| t.parent.as_deref()) {
            edges.push(Edge {
                source: topic(id),
                target: topic(parent),
                relation: "broader",
                weight: 1,
            });
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

/// `<attvalues>` with one `<attvalue for=… value=…/>` per pair.
fn write_attvalues<'a>(
    writer: &mut Writer<Vec<u8>>,
    values: impl IntoIterator<Item = (String, &'a str)>,
) -> io::Result<()> {
    writer
        .create_element("attvalues")
        .write_inner_content(|w| {
            for (attribute, value) in values {
                w.create_element("attvalue")
                    .with_attribute(("for", attribute.as_str()))
                    .with_attribute(("value", xml_text(value).as_str()))
                    .write_empty()?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write(
    writer: &mut Writer<Vec<u8>>,
    nodes: &[Node],
    edges: &[Edge],
    context: &ExportContext,
) -> io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let modified = context.generated_at.date().to_string();
    writer
        .create_element("gexf")
        .with_attribute(("xmlns", GEXF_NAMESPACE))
        .with_attribute(("version", "1.3"))
        .write_inner_content(|w| {
            w.create_element("meta")
                .with_attribute(("lastmodifieddate", modified.as_str()))
                .write_inner_content(|w| {
                    w.create_element("creator")
                        .write_text_content(quick_xml::events::BytesText::new("Networkshop"))?;
                    Ok(())
                })?;
            w.create_element("graph")
                .with_attribute(("mode", "static"))
                .with_attribute(("defaultedgetype", "undirected"))
                .write_inner_content(|w| {
                    w.create_element("attributes")
                        .with_attribute(("class", "node"))
                        .write_inner_content(|w| {
                            for (i, title) in NODE_ATTRIBUTES.iter().enumerate() {
                                w.create_element("attribute")
                                    .with_attribute(("id", i.to_string().as_str()))
                                    .with_attribute(("title", *title))
                                    .with_attribute(("type", "string"))
                                    .write_empty()?;
                            }
                            Ok(())
                        })?;
                    w.create_element("attributes")
                        .with_attribute(("class", "edge"))
                        .write_inner_content(|w| {
                            w.create_element("attribute")
                                .with_attribute(("id", "relation"))
                                .with_attribute(("title", "relation"))
                                .with_attribute(("type", "string"))
                                .write_empty()?;
                            Ok(())
                        })?;
                    w.create_element("nodes").write_inner_content(|w| {
                        for node in nodes {
                            w.create_element("node")
                                .with_attribute(("id", xml_text(&node.id).as_str()))
                                .with_attribute(("label", xml_text(&node.label).as_str()))
                                .write_inner_content(|w| {
                                    let values = node
                                        .attributes
                                        .iter()
                                        .enumerate()
                                        .filter(|(_, value)| !value.is_empty())
                                        .map(|(i, value)| (i.to_string(), value.as_str()));
                                    write_attvalues(w, values)
                                })?;
                        }
                        Ok(())
                    })?;
                    w.create_element("edges").write_inner_content(|w| {
                        for (i, edge) in edges.iter().enumerate() {
                            w.create_element("edge")
                                .with_attribute(("id", i.to_string().as_str()))
                                .with_attribute(("source", xml_text(&edge.source).as_str()))
                                .with_attribute(("target", xml_text(&edge.target).as_str()))
                                .with_attribute(("weight", edge.weight.to_string().as_str()))
                                .with_attribute(("label", edge.relation))
                                .write_inner_content(|w| {
                                    write_attvalues(w, [("relation".to_owned(), edge.relation)])
                                })?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

pub fn to_gexf(community: &Community, context: &ExportContext) -> String {
    let (nodes, edges) = graph(community, context);
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 1);
    // Writing into a Vec has no I/O to fail.
    let written = write(&mut writer, &nodes, &edges, context);
    debug_assert!(written.is_ok());
    String::from_utf8(writer.into_inner()).unwrap_or_default()
}

#[cfg(test)]
mod tests;
