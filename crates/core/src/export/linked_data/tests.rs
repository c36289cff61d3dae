use super::*;
use crate::catalogue::Catalogue;
use crate::export::sample;

fn graph() -> Vec<Value> {
    graph_of(&sample::community())
}

fn graph_of(community: &Community) -> Vec<Value> {
    let text = to_json_ld(community, &sample::context());
    let value: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(value["@context"], "https://schema.org");
    value["@graph"].as_array().expect("a graph").clone()
}

fn of_type<'a>(graph: &'a [Value], kind: &str) -> Vec<&'a Value> {
    graph.iter().filter(|n| n["@type"] == kind).collect()
}

#[test]
fn every_resource_is_a_typed_node_linked_to_its_author_and_topics() {
    let graph = graph();
    let events = of_type(&graph, "Event");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["startDate"], "2005-11-16");
    assert_eq!(
        events[0]["organizer"]["@id"],
        "urn:networkshop:author:amina"
    );
    assert_eq!(events[0]["location"][0]["name"], "Kram, Tunis");
    assert_eq!(of_type(&graph, "CreativeWork").len(), 1);
    assert_eq!(of_type(&graph, "Project").len(), 2);
    // Authors: amina has an organisation, jean has none.
    assert_eq!(
        of_type(&graph, "Organization").len(),
        2,
        "amina and jean's network"
    );
    assert_eq!(of_type(&graph, "Person").len(), 1);
    let ids: BTreeSet<&str> = graph.iter().filter_map(|n| n["@id"].as_str()).collect();
    for node in &graph {
        for topic in node["about"].as_array().into_iter().flatten() {
            assert!(
                ids.contains(topic["@id"].as_str().unwrap()),
                "{topic} is defined"
            );
        }
    }
    let terms = of_type(&graph, "DefinedTerm");
    let topics: Vec<&&Value> = terms
        .iter()
        .filter(|t| t["inDefinedTermSet"] == TOPIC_SET)
        .collect();
    assert_eq!(topics.len(), 3, "C2, C4, C7.e-health");
    // The goals they lead to, under the UN's own names for them.
    let goals: Vec<&str> = terms
        .iter()
        .filter(|t| t["inDefinedTermSet"] == GOAL_SET)
        .filter_map(|t| t["@id"].as_str())
        .collect();
    assert!(goals.contains(&"http://metadata.un.org/sdg/3"), "{goals:?}");
    assert_eq!(
        goals.len(),
        Catalogue::wsis()
            .sdgs_of_topics(&["C2".into(), "C4".into(), "C7.e-health".into()])
            .len()
    );
}

/// A node's `additionalProperty` values by `propertyID`.
fn properties(node: &Value) -> std::collections::BTreeMap<&str, &Value> {
    node["additionalProperty"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| (p["propertyID"].as_str().unwrap(), &p["value"]))
        .collect()
}

fn named<'a>(graph: &'a [Value], name: &str) -> &'a Value {
    graph.iter().find(|n| n["name"] == name).expect(name)
}

#[test]
fn partnerships_and_events_carry_their_new_fields() {
    let graph = graph_of(&sample::detailed());
    let partnership = named(&graph, "Accord écoles connectées");
    assert_eq!(partnership["foundingDate"], "2005-11-18");
    assert_eq!(partnership["dissolutionDate"], "2007-12-31");
    let grant = &partnership["funding"];
    assert_eq!(grant["@type"], "MonetaryGrant");
    assert_eq!(grant["amount"]["value"], 5_500_000);
    assert_eq!(grant["amount"]["currency"], "EUR");
    assert_eq!(grant["description"], "Union européenne, ministère");
    assert_eq!(partnership["areaServed"], json!(["africa", "europe"]));
    let partner = &partnership["member"][1];
    assert_eq!(partner["name"], "ONG <Lien>");
    assert_eq!(partner["additionalProperty"]["value"], "civil_society");
    let said = properties(partnership);
    assert_eq!(*said["signatories"], json!(["Jean Müller", "Awa Ndiaye"]));
    assert_eq!(*said["funding"], "secured");
    assert_eq!(
        *said["domains"],
        json!(["infrastructure", "capacity_building"])
    );
    assert_eq!(*said["value_added"], json!(["new", "another_region"]));
    assert_eq!(*said["voluntary_declaration"], true);
    assert_eq!(*said["ready_to_announce"], true);
    let event = named(&graph, "Atelier régional: e-santé, formation");
    let said = properties(event);
    assert_eq!(*said["event_format"], "thematic_workshop");
    assert_eq!(
        (said["speakers_women"], said["speakers_men"]),
        (&json!(3), &json!(2))
    );
    let document = named(&graph, "Guide de la formation à distance");
    assert_eq!(document["lastReviewed"], "2005-10-01T08:00:00Z");
    assert_eq!(event["lastReviewed"], event["dateModified"]);
}

#[test]
fn an_unready_partnership_says_so_and_leaves_out_what_it_lacks() {
    let graph = graph_of(&sample::community());
    let partnership = named(&graph, "Accord écoles connectées");
    let said = properties(partnership);
    assert_eq!(*said["ready_to_announce"], false);
    assert_eq!(*said["funding"], "identified");
    assert!(!said.contains_key("signatories"));
    for absent in ["foundingDate", "funding", "areaServed"] {
        assert!(partnership.get(absent).is_none(), "{absent}");
    }
    assert!(properties(named(&graph, "Atelier régional: e-santé, formation")).is_empty());
}
