//! The rules for a partnership's terms: partners, signatories, dates, money and the lists of
//! seed 003's partnership database.

use crate::record::PartnershipDetails;

use super::fields::{check_optional_date, Errors};
use super::{ErrorCode, MAX_AMOUNT, MAX_DESCRIPTION_CHARS, MAX_PARTNERS, MAX_SHORT_TEXT_CHARS};

pub(super) fn validate_partnership_into(errors: &mut Errors, partnership: &PartnershipDetails) {
    names(errors, "partnership.partners", &partnership.partners);
    // One error for the map, not one per key: the form shows the groups beside the partners,
    // so a stray key is a name that was renamed or removed, not something to point at.
    if partnership
        .partner_groups
        .keys()
        .any(|name| !partnership.partners.contains(name))
    {
        errors.push("partnership.partner_groups", ErrorCode::UnknownPartner);
    }
    names(errors, "partnership.signatories", &partnership.signatories);
    errors.paragraphs(
        "partnership.objectives",
        &partnership.objectives,
        false,
        MAX_DESCRIPTION_CHARS,
    );
    errors.paragraphs(
        "partnership.expected_results",
        &partnership.expected_results,
        false,
        MAX_DESCRIPTION_CHARS,
    );
    errors.text(
        "partnership.timeline",
        &partnership.timeline,
        false,
        MAX_SHORT_TEXT_CHARS,
    );

    let start = check_optional_date(
        errors,
        "partnership.in_force_on",
        partnership.in_force_on.as_deref(),
    );
    let end = check_optional_date(
        errors,
        "partnership.ends_on",
        partnership.ends_on.as_deref(),
    );
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            errors.push("partnership.ends_on", ErrorCode::EndBeforeStart);
        }
    }

    if partnership.amount.is_some_and(|amount| amount > MAX_AMOUNT) {
        errors.push("partnership.amount", ErrorCode::OutOfRange);
    }
    // Blank is a cleared field, like a blank link; an amount still needs its unit.
    match partnership.currency.as_deref().filter(|c| !c.is_empty()) {
        None if partnership.amount.is_some() => {
            errors.push("partnership.currency", ErrorCode::Required);
        }
        Some(code) if !is_currency_code(code) => {
            errors.push("partnership.currency", ErrorCode::InvalidCurrency);
        }
        _ => {}
    }
    errors.paragraphs(
        "partnership.funding_sources",
        &partnership.funding_sources,
        false,
        MAX_DESCRIPTION_CHARS,
    );

    errors.distinct(
        "partnership.beneficiary_regions",
        &partnership.beneficiary_regions,
    );
    errors.distinct("partnership.domains", &partnership.domains);
    errors.distinct("partnership.value_added", &partnership.value_added);
}

/// Partners and signatories: one name a line, each given, at most `MAX_PARTNERS`.
fn names(errors: &mut Errors, field: &str, names: &[String]) {
    if names.len() > MAX_PARTNERS {
        errors.push_limit(field, ErrorCode::TooMany, Some(MAX_PARTNERS));
    }
    for (i, name) in names.iter().enumerate() {
        errors.text(&format!("{field}[{i}]"), name, true, MAX_SHORT_TEXT_CHARS);
    }
}

/// The shape of an ISO 4217 code; the list itself changes, and an exporter or reader that
/// meets a code it does not know shows it as written.
fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}
