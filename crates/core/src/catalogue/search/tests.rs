use super::*;
use crate::text::fold;

fn wsis() -> &'static Catalogue {
    Catalogue::wsis()
}

fn ids(query: &str) -> Vec<&'static str> {
    wsis().search(query).iter().map(|t| t.id.as_str()).collect()
}

fn first(query: &str) -> Option<&'static str> {
    ids(query).first().copied()
}

#[test]
fn search_ignores_accents_and_case_in_both_languages() {
    assert!(ids("cybersante").contains(&"C7.e-health"));
    assert!(ids("CYBERSANTÉ").contains(&"C7.e-health"));
    assert!(ids("e-health").contains(&"C7.e-health"));
    assert!(ids("capacity building").contains(&"C4"));
    assert!(ids("renforcement capacites").contains(&"C4"));
    assert!(ids("").is_empty());
    assert!(ids("zzzz-no-such-topic").is_empty());
}

#[test]
fn e_health_comes_first_however_it_is_typed() {
    for query in [
        "e-health",
        "ehealth",
        "E Health",
        "E-HEALTH",
        "télémédecine",
        "telemedecine",
        "cybersante",
        "Cybersanté",
        "cybersante\u{301}",
        "e-sante",
        "esante",
        "e-santé",
    ] {
        assert_eq!(first(query), Some("C7.e-health"), "{query}");
    }
}

#[test]
fn an_exact_id_comes_first_whatever_its_case() {
    assert_eq!(first("C4"), Some("C4"));
    assert_eq!(first("c7"), Some("C7"));
    assert_eq!(first("C1"), Some("C1"), "before C10 and C11");
    assert_eq!(first("C7.e-health"), Some("C7.e-health"));
    assert_eq!(first(" c7.E-HEALTH "), Some("C7.e-health"));
    assert_eq!(first("c7.e-health.c"), Some("C7.e-health.c"));
}

#[test]
fn a_synonym_puts_its_topic_first() {
    let expected = [
        ("e-gov", "C7.e-government"),
        ("egov", "C7.e-government"),
        ("gouvernement électronique", "C7.e-government"),
        ("administration electronique", "C7.e-government"),
        ("cyberadministration", "C7.e-government"),
        ("e-learning", "C7.e-learning"),
        ("elearning", "C7.e-learning"),
        ("téléenseignement", "C7.e-learning"),
        ("formation à distance", "C7.e-learning"),
        ("enseignement a distance", "C7.e-learning"),
        ("e-commerce", "C7.e-business"),
        ("ecommerce", "C7.e-business"),
        ("commerce électronique", "C7.e-business"),
        ("e-agriculture", "C7.e-agriculture"),
        ("cyberagriculture", "C7.e-agriculture"),
        ("e-science", "C7.e-science"),
        ("cyberscience", "C7.e-science"),
        ("e-employment", "C7.e-employment"),
        ("cyberemploi", "C7.e-employment"),
        ("e-environment", "C7.e-environment"),
        ("cyberenvironnement", "C7.e-environment"),
        ("déchets électroniques", "C7.e-environment"),
        ("e-waste", "C7.e-environment"),
        ("cybersecurity", "C5"),
        ("cybersécurité", "C5"),
        ("sécurité en ligne", "C5"),
        ("spam", "C5"),
        ("broadband", "C2"),
        ("haut débit", "C2"),
        ("connectivité", "C2"),
        ("internet access", "C2"),
        ("capacity building", "C4"),
        ("renforcement des capacités", "C4"),
        ("formation", "C4"),
        ("skills", "C4"),
        ("compétences numériques", "C4"),
        ("enabling environment", "C6"),
        ("cadre réglementaire", "C6"),
        ("regulation", "C6"),
        ("media", "C9"),
        ("médias", "C9"),
        ("ethics", "C10"),
        ("éthique", "C10"),
        ("cultural diversity", "C8"),
        ("multilinguisme", "C8"),
        ("contenu local", "C8"),
        ("access to information", "C3"),
        ("accès au savoir", "C3"),
        ("open data", "C3"),
        ("données ouvertes", "C3"),
        ("international cooperation", "C11"),
        ("coopération internationale", "C11"),
    ];
    for (query, id) in expected {
        assert_eq!(first(query), Some(id), "{query}");
    }
}

#[test]
fn a_topic_titled_as_typed_comes_before_a_synonym() {
    // "Télétravail" is C7.e-employment.c; the e-application itself, its synonym, follows.
    assert_eq!(
        ids("télétravail")[..2],
        ["C7.e-employment.c", "C7.e-employment"]
    );
    assert_eq!(
        first("Coopération internationale et régionale"),
        Some("C11")
    );
}

#[test]
fn every_synonym_names_a_topic_of_the_catalogue() {
    for (id, phrases) in SYNONYMS {
        assert!(wsis().contains(id), "{id}");
        assert!(!phrases.is_empty(), "{id}");
        for phrase in *phrases {
            assert!(!squash(phrase).is_empty(), "{id}: {phrase:?}");
        }
    }
}

#[test]
fn the_start_of_a_synonym_already_finds_its_topic() {
    assert!(ids("télém").contains(&"C7.e-health"));
    assert!(ids("cyberenv").contains(&"C7.e-environment"));
}

#[test]
fn a_query_without_letters_or_digits_finds_nothing() {
    for query in ["", "   ", "\t\n", "-", "--, ;", "'"] {
        assert!(ids(query).is_empty(), "{query:?}");
    }
}

#[test]
fn ranks_come_in_order_and_topics_in_catalogue_order_within_a_rank() {
    for query in [
        "e",
        "c",
        "c7",
        "e-health",
        "health",
        "sante",
        "connect",
        "formation",
        "information",
        "local",
        "media",
        "l'accès",
        "tic",
        "internet",
        "e-gov",
        "cooperation",
    ] {
        let ranked = wsis().ranked(query);
        assert!(!ranked.is_empty(), "{query}");
        assert!(
            ranked.windows(2).all(|w| w[0] < w[1]),
            "{query}: {ranked:?}"
        );
    }
}

#[test]
fn each_rank_comes_after_the_better_ones() {
    let ranked = |q| -> Vec<(Rank, &str)> {
        let topics = wsis().topics();
        let ranked = wsis().ranked(q);
        ranked
            .into_iter()
            .map(|(r, i)| (r, topics[i].id.as_str()))
            .collect()
    };
    let health = ranked("e-health");
    assert_eq!(health[0], (Rank::Title, "C7.e-health"));
    assert!(health.contains(&(Rank::Other, "B.e")));
    let connect = ranked("connect");
    let starts = ["B.a", "B.b", "B.c", "B.d", "B.e", "B.f"].map(|id| (Rank::TitleStart, id));
    assert_eq!(connect[..6], starts);
    let formation = ranked("formation");
    assert_eq!(
        formation[..2],
        [(Rank::Synonym, "C4"), (Rank::TitleStart, "C5.c")]
    );
    assert!(formation.contains(&(Rank::Words, "C4.a")));
    assert_eq!(ranked("capacity")[0], (Rank::TitleStart, "C4"));
    assert_eq!(ranked("access information")[0], (Rank::Words, "C3"));
    // A French article does not hide the start of a title.
    assert_eq!(ranked("infrastructure")[0], (Rank::TitleStart, "C2"));
}

/// Ranking only adds: whatever the plain search found (every folded word inside the id or a
/// title) is still found.
#[test]
fn everything_the_unranked_search_found_is_still_found() {
    let catalogue = wsis();
    for query in [
        "e", "sante", "c1", "b.e", "health", "tion", "capacit", "net", "d'", "e-sante", "c7.e",
    ] {
        let words = crate::text::folded_words(query);
        let found = ids(query);
        for topic in catalogue.topics() {
            let hay = fold(&format!(
                "{} {} {}",
                topic.id, topic.title_en, topic.title_fr
            ));
            if words.iter().all(|w| hay.contains(w.as_str())) {
                assert!(found.contains(&topic.id.as_str()), "{query}: {}", topic.id);
            }
        }
    }
}
