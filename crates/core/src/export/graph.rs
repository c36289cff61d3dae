//! GEXF 1.3 of the thematic network, for Gephi and other graph tools.
//!
//! Nodes are actors, resources, partnerships' partners and topics (with the broader topics
//! above them, so the Plan of Action's hierarchy shows); edges say who `authored` what, which
//! topic a resource is `tagged` with, which topic is `broader`, who is a `partner` of a
//! partnership, and which actors `share_topics` (weight: how many).

use std::io;

use quick_xml::events::{BytesDecl, Event};
use quick_xml::Writer;

mod build;

use super::escape::xml_text;
use super::ExportContext;
use crate::merge::Community;
use build::graph;

pub const GEXF_NAMESPACE: &str = "http://gexf.net/1.3";

struct Node {
    id: String,
    label: String,
    /// (attribute title, value); empty values are left out of the file.
    attributes: Vec<(&'static str, String)>,
}

/// Node attributes: (title, GEXF type). `sdgs`: the Sustainable Development Goals a resource
/// or topic leads to ("3; 5; 17"). The rest are the records' own fields, under their codes;
/// `ends_on` is a partnership's (events are not dated here).
const NODE_ATTRIBUTES: [(&str, &str); 21] = [
    ("type", "string"),
    ("stakeholder_group", "string"),
    ("region", "string"),
    ("kind", "string"),
    ("sdgs", "string"),
    ("last_confirmed", "string"),
    ("event_format", "string"),
    ("speakers_women", "integer"),
    ("speakers_men", "integer"),
    ("signatories", "string"),
    ("in_force_on", "string"),
    ("ends_on", "string"),
    ("amount", "long"),
    ("currency", "string"),
    ("funding", "string"),
    ("funding_sources", "string"),
    ("beneficiary_regions", "string"),
    ("domains", "string"),
    ("value_added", "string"),
    ("voluntary_declaration", "boolean"),
    ("ready_to_announce", "boolean"),
];

fn attribute_index(title: &str) -> usize {
    let index = NODE_ATTRIBUTES.iter().position(|(t, _)| *t == title);
    debug_assert!(index.is_some(), "{title} is declared");
    index.unwrap_or_default()
}

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

/// A partnership's partner, by name: partners are names, not participants, and the same name
/// in two partnerships is one node that links them.
fn partner(name: &str) -> String {
    format!("partner:{name}")
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
                            for (i, (title, kind)) in NODE_ATTRIBUTES.iter().enumerate() {
                                w.create_element("attribute")
                                    .with_attribute(("id", i.to_string().as_str()))
                                    .with_attribute(("title", *title))
                                    .with_attribute(("type", *kind))
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
                                        .filter(|(_, value)| !value.is_empty())
                                        .map(|(title, value)| {
                                            (attribute_index(title).to_string(), value.as_str())
                                        });
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
