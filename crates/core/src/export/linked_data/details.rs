//! What events and partnerships say beyond the common properties: schema.org's own terms where
//! one fits (a Project is an Organization, so entry into force and end are its founding and
//! dissolution dates; the amount is a MonetaryGrant's; beneficiary regions are `areaServed`),
//! and for the rest `additionalProperty` values named by the bundle's own field codes, which a
//! reader can match without a vocabulary of ours.

use serde_json::{json, Map, Value};

use super::super::codes;
use crate::record::{code, EventDetails, PartnershipDetails};

fn property(id: &str, value: Value) -> Value {
    json!({ "@type": "PropertyValue", "propertyID": id, "value": value })
}

fn add_properties(node: &mut Map<String, Value>, properties: Vec<Value>) {
    if !properties.is_empty() {
        node.insert("additionalProperty".into(), Value::Array(properties));
    }
}

pub(super) fn event(node: &mut Map<String, Value>, event: &EventDetails) {
    let properties = [
        (
            "event_format",
            event.format.as_ref().map(|f| json!(code(f))),
        ),
        ("speakers_women", event.speakers_women.map(|n| json!(n))),
        ("speakers_men", event.speakers_men.map(|n| json!(n))),
    ];
    add_properties(
        node,
        properties
            .into_iter()
            .filter_map(|(id, value)| Some(property(id, value?)))
            .collect(),
    );
}

/// `ready`: seed 000's verdict, which needs the author and so is the caller's.
pub(super) fn partnership(
    node: &mut Map<String, Value>,
    details: &PartnershipDetails,
    ready: bool,
) {
    let partners: Vec<Value> = details
        .partner_rows()
        .into_iter()
        .map(|(name, group)| {
            let mut partner = json!({ "@type": "Organization", "name": name });
            if let Some(group) = group {
                partner["additionalProperty"] = property("stakeholder_group", json!(code(&group)));
            }
            partner
        })
        .collect();
    node.insert("member".into(), Value::Array(partners));
    if let Some(date) = details
        .in_force_on
        .as_ref()
        .filter(|d| !d.trim().is_empty())
    {
        node.insert("foundingDate".into(), json!(date));
    }
    if let Some(date) = details.ends_on.as_ref().filter(|d| !d.trim().is_empty()) {
        node.insert("dissolutionDate".into(), json!(date));
    }
    if details.amount.is_some() || !details.funding_sources.is_empty() {
        let mut grant = json!({ "@type": "MonetaryGrant" });
        if let Some(amount) = details.amount {
            grant["amount"] = json!({
                "@type": "MonetaryAmount",
                "value": amount,
                "currency": details.currency,
            });
        }
        if !details.funding_sources.is_empty() {
            grant["description"] = json!(details.funding_sources);
        }
        node.insert("funding".into(), grant);
    }
    if !details.beneficiary_regions.is_empty() {
        node.insert(
            "areaServed".into(),
            json!(codes(&details.beneficiary_regions)),
        );
    }
    let mut properties = Vec::new();
    if !details.signatories.is_empty() {
        properties.push(property("signatories", json!(details.signatories)));
    }
    properties.push(property("funding", json!(code(&details.funding))));
    for (id, values) in [
        ("domains", codes(&details.domains)),
        ("value_added", codes(&details.value_added)),
    ] {
        if !values.is_empty() {
            properties.push(property(id, json!(values)));
        }
    }
    properties.push(property(
        "voluntary_declaration",
        json!(details.voluntary_declaration),
    ));
    properties.push(property("ready_to_announce", json!(ready)));
    add_properties(node, properties);
}
