//! The CSV's columns, each with its English and French header and its cell, in one table so a
//! header never drifts from its cell.

use super::super::{codes, partners_with_groups, ready, rfc3339, topic_titles, ExportContext};
use crate::record::{code, AuthorProfile, EventDetails, PartnershipDetails, Record};

/// What a cell is made from.
pub(super) struct Row<'a> {
    pub author: &'a AuthorProfile,
    pub record: &'a Record,
    pub context: &'a ExportContext<'a>,
}

/// English header, French header, cell.
pub(super) struct Column(pub &'static str, pub &'static str, pub fn(&Row) -> String);

pub const CSV_COLUMNS: usize = 42;

/// Lists inside a cell: a semicolon is plain text in the English dialect, and quoted in the
/// French one, so a spreadsheet keeps each list in its cell.
const SEP: &str = "; ";

/// Cell values are codes in every dialect (as `civil_society` is), so a sheet sorts and
/// filters the same whatever language wrote it.
fn yes_no(yes: bool) -> String {
    if yes { "yes" } else { "no" }.to_owned()
}

fn number(n: Option<impl ToString>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn event(r: &Row, cell: impl FnOnce(&EventDetails) -> String) -> String {
    r.record.event.as_ref().map(cell).unwrap_or_default()
}

fn partnership(r: &Row, cell: impl FnOnce(&PartnershipDetails) -> String) -> String {
    r.record.partnership.as_ref().map(cell).unwrap_or_default()
}

fn action_lines(r: &Row) -> String {
    let catalogue = r.context.catalogue;
    let mut lines: Vec<&str> = r
        .record
        .topics
        .iter()
        .filter_map(|t| catalogue.action_line(t))
        .map(|t| t.id.as_str())
        .collect();
    lines.sort_by_key(|id| catalogue.position(id));
    lines.dedup();
    lines.join(SEP)
}

fn sdgs(r: &Row) -> String {
    let goals = r.context.catalogue.sdgs_of_topics(&r.record.topics);
    goals
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(SEP)
}

fn url(r: &Row) -> String {
    let online = r.record.event.as_ref().and_then(|e| e.online_url.clone());
    r.record.url.clone().or(online).unwrap_or_default()
}

pub(super) const COLUMNS: [Column; CSV_COLUMNS] = [
    Column("id", "identifiant", |r| r.record.id.to_string()),
    Column("kind", "type", |r| code(&r.record.kind)),
    Column("title", "titre", |r| r.record.title.clone()),
    Column("description", "description", |r| {
        r.record.description.clone()
    }),
    Column("topics", "thèmes", |r| r.record.topics.join(SEP)),
    Column("topic_titles", "intitulés des thèmes", |r| {
        topic_titles(r.record, r.context).join(SEP)
    }),
    Column("action_lines", "grandes orientations", action_lines),
    Column("sdgs", "ODD", sdgs),
    Column("author_id", "identifiant de l'auteur", |r| {
        r.author.id.clone()
    }),
    Column("author", "auteur", |r| r.author.display_name.clone()),
    Column("organisation", "organisation", |r| {
        r.author.organisation.clone()
    }),
    Column("stakeholder_group", "groupe de parties prenantes", |r| {
        code(&r.author.stakeholder_group)
    }),
    Column("country", "pays", |r| r.author.country.clone()),
    Column("region", "région", |r| code(&r.author.region)),
    Column("url", "adresse web", url),
    Column("languages", "langues", |r| r.record.languages.join(SEP)),
    Column("starts_on", "début", |r| event(r, |e| e.starts_on.clone())),
    Column("ends_on", "fin", |r| event(r, |e| e.ends_on.clone())),
    Column("time_zone", "fuseau horaire", |r| {
        event(r, |e| e.time_zone.clone())
    }),
    Column("place", "lieu", |r| {
        event(r, |e| e.place.clone().unwrap_or_default())
    }),
    Column("updated_at", "mis à jour le", |r| {
        rfc3339(r.record.updated_at)
    }),
    Column("last_confirmed", "dernière confirmation", |r| {
        rfc3339(r.record.last_confirmed())
    }),
    Column("event_format", "format", |r| {
        event(r, |e| e.format.as_ref().map(code).unwrap_or_default())
    }),
    Column("speakers_women", "intervenantes", |r| {
        event(r, |e| number(e.speakers_women))
    }),
    Column("speakers_men", "intervenants", |r| {
        event(r, |e| number(e.speakers_men))
    }),
    Column("partners", "partenaires", |r| {
        partnership(r, |p| partners_with_groups(p).join(SEP))
    }),
    Column("signatories", "signataires", |r| {
        partnership(r, |p| p.signatories.join(SEP))
    }),
    Column("objectives", "objectifs", |r| {
        partnership(r, |p| p.objectives.clone())
    }),
    Column("expected_results", "résultats attendus", |r| {
        partnership(r, |p| p.expected_results.clone())
    }),
    Column("timeline", "calendrier", |r| {
        partnership(r, |p| p.timeline.clone())
    }),
    Column("in_force_on", "entrée en vigueur", |r| {
        partnership(r, |p| p.in_force_on.clone().unwrap_or_default())
    }),
    // `ends_on` is the event's column already.
    Column("partnership_ends_on", "fin du partenariat", |r| {
        partnership(r, |p| p.ends_on.clone().unwrap_or_default())
    }),
    Column("amount", "montant", |r| {
        partnership(r, |p| number(p.amount))
    }),
    Column("currency", "devise", |r| {
        partnership(r, |p| p.currency.clone().unwrap_or_default())
    }),
    Column("funding", "financement", |r| {
        partnership(r, |p| code(&p.funding))
    }),
    Column("funding_sources", "sources de financement", |r| {
        partnership(r, |p| p.funding_sources.clone())
    }),
    Column("agreement", "type d'accord", |r| {
        partnership(r, |p| code(&p.agreement))
    }),
    Column("beneficiary_regions", "régions bénéficiaires", |r| {
        partnership(r, |p| codes(&p.beneficiary_regions).join(SEP))
    }),
    Column("domains", "domaines d'activité", |r| {
        partnership(r, |p| codes(&p.domains).join(SEP))
    }),
    Column("value_added", "valeur ajoutée", |r| {
        partnership(r, |p| codes(&p.value_added).join(SEP))
    }),
    Column(
        "voluntary_declaration",
        "déclaration de caractère volontaire",
        |r| partnership(r, |p| yes_no(p.voluntary_declaration)),
    ),
    Column("ready_to_announce", "prêt à annoncer", |r| {
        ready(r.author, r.record).map(yes_no).unwrap_or_default()
    }),
];

/// One dialect's headers, in column order.
pub(super) const fn headers(french: bool) -> [&'static str; CSV_COLUMNS] {
    let mut out = [""; CSV_COLUMNS];
    let mut i = 0;
    while i < CSV_COLUMNS {
        out[i] = if french { COLUMNS[i].1 } else { COLUMNS[i].0 };
        i += 1;
    }
    out
}
