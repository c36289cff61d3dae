use super::*;
use crate::catalogue::Catalogue;
use crate::export::sample;
use quick_xml::events::Event as XmlEvent;
use quick_xml::Reader;
use quick_xml::XmlVersion;
use std::collections::BTreeMap;

/// (source, target, relation, weight)
type ParsedEdge = (String, String, String, String);

/// Nodes (id → label) and edges read back with an XML parser.
fn parse(text: &str) -> (BTreeMap<String, String>, Vec<ParsedEdge>) {
    let mut reader = Reader::from_str(text);
    let mut nodes = BTreeMap::new();
    let mut edges = Vec::new();
    let mut namespace_ok = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            XmlEvent::Eof => break,
            XmlEvent::Start(e) | XmlEvent::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name).unwrap().map(|a| {
                        a.normalized_value(XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned()
                    })
                };
                match e.name().as_ref() {
                    "gexf" => namespace_ok = attr("xmlns").as_deref() == Some(GEXF_NAMESPACE),
                    "node" => {
                        nodes.insert(attr("id").unwrap(), attr("label").unwrap());
                    }
                    "edge" => edges.push((
                        attr("source").unwrap(),
                        attr("target").unwrap(),
                        attr("label").unwrap(),
                        attr("weight").unwrap(),
                    )),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert!(namespace_ok);
    (nodes, edges)
}

#[test]
fn actors_resources_and_topics_with_their_links() {
    let text = to_gexf(&sample::community(), &sample::context());
    let (nodes, edges) = parse(&text);
    assert_eq!(nodes["actor:amina"], "Amina Diallo");
    assert_eq!(
        nodes["resource:00000000-0000-0000-0000-000000000004"],
        "Accord écoles connectées"
    );
    assert!(
        nodes.contains_key("topic:C7"),
        "the broader topic of C7.e-health"
    );
    let has = |s: &str, t: &str, rel: &str| {
        edges
            .iter()
            .any(|(a, b, r, _)| a == s && b == t && r == rel)
    };
    assert!(has(
        "actor:jean",
        "resource:00000000-0000-0000-0000-000000000004",
        "authored"
    ));
    assert!(has(
        "resource:00000000-0000-0000-0000-000000000001",
        "topic:C7.e-health",
        "tagged"
    ));
    assert!(has("topic:C7.e-health", "topic:C7", "broader"));
    let shared: Vec<_> = edges.iter().filter(|e| e.2 == "share_topics").collect();
    assert_eq!(shared.len(), 1);
    assert_eq!(
        (&shared[0].0[..], &shared[0].1[..], &shared[0].3[..]),
        ("actor:amina", "actor:jean", "1")
    );
    for (source, target, _, _) in &edges {
        assert!(nodes.contains_key(source) && nodes.contains_key(target));
    }
}

#[test]
fn control_characters_and_markup_in_titles_stay_readable() {
    let mut community = sample::community();
    let mut bundle = community.bundles().remove(0);
    bundle.records[0].title = "<b>bold</b> & \u{1}bell".into();
    bundle.records[0].revision += 1;
    community.add_bundle(bundle.clone());
    let (nodes, _) = parse(&to_gexf(&community, &sample::context()));
    let id = format!("resource:{}", bundle.records[0].id);
    assert_eq!(nodes[&id], "<b>bold</b> & bell");
}

#[test]
fn hostile_text_leaves_well_formed_xml_1_0() {
    let text = to_gexf(&sample::hostile_community(), &sample::context());
    let forbidden = |c: char| c < ' ' && !matches!(c, '\t' | '\n' | '\r') || c == '\u{fffe}';
    assert!(!text.contains(forbidden));
    let (nodes, _) = parse(&text);
    let stripped = "a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:b\rcd\u{85}e[2Jf\u{7f}gh";
    assert_eq!(
        nodes["actor:mallory"], stripped,
        "line breaks kept as references"
    );
    assert_eq!(nodes[&resource(&uuid::Uuid::from_u128(11))], stripped);
    assert!(nodes.contains_key(&topic(stripped)));
}

#[test]
fn resources_and_topics_carry_the_goals_they_lead_to() {
    let text = to_gexf(&sample::community(), &sample::context());
    let sdgs = attribute_index("sdgs");
    let health = goals(Catalogue::wsis().sdgs_of("C7.e-health"));
    assert!(!health.is_empty());
    let value = format!("<attvalue for=\"{sdgs}\" value=\"{health}\"/>");
    let topic = text
        .find("id=\"topic:C7.e-health\"")
        .expect("the topic node");
    let next = text[topic..].find("</node>").unwrap();
    assert!(
        text[topic..topic + next].contains(&value),
        "{}",
        &text[topic..topic + next]
    );
}

/// Each node's attribute values by attribute title, as declared in the file.
fn node_attributes(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut reader = Reader::from_str(text);
    let mut titles = BTreeMap::new();
    let mut types = BTreeMap::new();
    let mut nodes: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            XmlEvent::Eof => break,
            XmlEvent::Start(e) | XmlEvent::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name).unwrap().map(|a| {
                        a.normalized_value(XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned()
                    })
                };
                match e.name().as_ref() {
                    "attribute" if attr("title").as_deref() != Some("relation") => {
                        titles.insert(attr("id").unwrap(), attr("title").unwrap());
                        types.insert(attr("title").unwrap(), attr("type").unwrap());
                    }
                    "node" => current = attr("id"),
                    "edge" => current = None,
                    "attvalue" => {
                        if let Some(node) = &current {
                            let title = titles[&attr("for").unwrap()].clone();
                            nodes
                                .entry(node.clone())
                                .or_default()
                                .insert(title, attr("value").unwrap());
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!(types["amount"], "long");
    assert_eq!(types["ready_to_announce"], "boolean");
    nodes
}

#[test]
fn resources_carry_their_new_fields_and_partners_are_nodes() {
    let text = to_gexf(&sample::detailed(), &sample::context());
    let attributes = node_attributes(&text);
    let partnership = &attributes[&resource(&uuid::Uuid::from_u128(4))];
    let expected = [
        ("signatories", "Jean Müller; Awa Ndiaye"),
        ("in_force_on", "2005-11-18"),
        ("ends_on", "2007-12-31"),
        ("amount", "5500000"),
        ("currency", "EUR"),
        ("funding", "secured"),
        ("funding_sources", "Union européenne, ministère"),
        ("beneficiary_regions", "africa; europe"),
        ("domains", "infrastructure; capacity_building"),
        ("value_added", "new; another_region"),
        ("voluntary_declaration", "true"),
        ("ready_to_announce", "true"),
        ("last_confirmed", "2005-01-01T10:00:00Z"),
    ];
    for (title, value) in expected {
        assert_eq!(partnership[title], value, "{title}");
    }
    let event = &attributes[&resource(&uuid::Uuid::from_u128(1))];
    assert_eq!(event["event_format"], "thematic_workshop");
    assert_eq!(
        (&event["speakers_women"][..], &event["speakers_men"][..]),
        ("3", "2")
    );
    assert!(!event.contains_key("ready_to_announce"));
    let document = &attributes[&resource(&uuid::Uuid::from_u128(2))];
    assert_eq!(document["last_confirmed"], "2005-10-01T08:00:00Z");
    // Partners with their groups, linked to the partnership.
    assert_eq!(
        attributes["partner:ONG <Lien>"]["stakeholder_group"],
        "civil_society"
    );
    assert_eq!(attributes["partner:Ministère"]["type"], "partner");
    let (nodes, edges) = parse(&text);
    assert_eq!(nodes["partner:ONG <Lien>"], "ONG <Lien>");
    let partner_edges: Vec<_> = edges.iter().filter(|e| e.2 == "partner").collect();
    assert_eq!(partner_edges.len(), 2);
    assert!(partner_edges
        .iter()
        .all(|e| e.0 == resource(&uuid::Uuid::from_u128(4))));
}

#[test]
fn an_unready_partnership_and_hostile_partners_stay_readable() {
    let plain = node_attributes(&to_gexf(&sample::community(), &sample::context()));
    let partnership = &plain[&resource(&uuid::Uuid::from_u128(4))];
    assert_eq!(partnership["ready_to_announce"], "false");
    assert!(
        !partnership.contains_key("amount"),
        "left out when not said"
    );
    assert!(!plain["partner:Ministère"].contains_key("stakeholder_group"));
    let hostile = node_attributes(&to_gexf(&sample::hostile_community(), &sample::context()));
    let stripped = "a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:b\rcd\u{85}e[2Jf\u{7f}gh";
    let partnership = &hostile[&resource(&uuid::Uuid::from_u128(14))];
    assert_eq!(partnership["funding_sources"], stripped);
    assert_eq!(
        hostile[&partner(stripped)]["stakeholder_group"],
        "private_sector"
    );
}
