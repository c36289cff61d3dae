//! What participants at the summit call a topic when it is not the Plan of Action's title.
//!
//! The search compares squashed forms (folded, letters and digits only), so one spelling
//! stands for its accented, hyphenated and spaced variants: "e-gov" also covers "egov" and
//! "E Gov", "télémédecine" covers "telemedecine". A topic's own titles need no entry. A
//! phrase may name several topics; they then come in catalogue order.

/// Topic id, then the phrases that stand for it (French and English).
pub(super) const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "C2",
        &[
            "broadband",
            "haut débit",
            "large bande",
            "connectivité",
            "connectivity",
            "internet access",
            "accès à internet",
            "accès internet",
        ],
    ),
    (
        "C3",
        &[
            "accès au savoir",
            "accès à l'information",
            "open data",
            "données ouvertes",
        ],
    ),
    (
        "C4",
        &[
            "formation",
            "training",
            "skills",
            "compétences numériques",
            "digital skills",
        ],
    ),
    (
        "C5",
        &[
            "cybersecurity",
            "cybersécurité",
            "sécurité en ligne",
            "online security",
            "spam",
        ],
    ),
    (
        "C6",
        &[
            "cadre réglementaire",
            "regulatory framework",
            "regulation",
            "réglementation",
        ],
    ),
    (
        "C7.e-government",
        &["e-gov", "gouvernement électronique", "cyberadministration"],
    ),
    ("C7.e-business", &["e-commerce", "commerce en ligne"]),
    (
        "C7.e-learning",
        &[
            "formation à distance",
            "enseignement à distance",
            "apprentissage en ligne",
            "online learning",
        ],
    ),
    (
        "C7.e-health",
        &[
            "télémédecine",
            "telemedicine",
            "santé en ligne",
            "e-santé",
            "télésanté",
            "telehealth",
        ],
    ),
    ("C7.e-employment", &["télétravail", "telework"]),
    (
        "C7.e-environment",
        &["cyberenvironnement", "e-waste", "déchets électroniques"],
    ),
    // Where the Plan of Action speaks of e-waste, after the e-application itself.
    ("C7.e-environment.b", &["e-waste", "déchets électroniques"]),
    (
        "C7.e-agriculture",
        &["agriculture numérique", "digital agriculture"],
    ),
    (
        "C8",
        &[
            "multilinguisme",
            "multilingualism",
            "contenu local",
            "local content",
            "diversité culturelle",
        ],
    ),
    ("C9", &["press", "presse", "journalism", "journalisme"]),
    ("C10", &["ethics", "éthique"]),
    (
        "C11",
        &["international cooperation", "coopération internationale"],
    ),
];
