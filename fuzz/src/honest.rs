//! The fixed honest community every input is merged into: alice and bob, each with two signed,
//! valid bundles, keys from fixed seeds. Also the helpers the seed generator builds on.

use std::sync::OnceLock;

use networkshop_core::record::{
    AgreementType, DocumentDetails, EventDetails, Funding, PartnershipDetails,
};
use networkshop_core::signing::AuthorKey;
use networkshop_core::trust::{accept_published, KeyPins};
use networkshop_core::{AuthorProfile, Bundle, Community, Kind, Record, Region, StakeholderGroup};
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

pub const ALICE: &str = "alice";
pub const BOB: &str = "bob";
pub const MALLORY: &str = "mallory";
pub const HONEST: [&str; 2] = [ALICE, BOB];

pub const ALICE_SEED: [u8; 32] = [0xa1; 32];
pub const BOB_SEED: [u8; 32] = [0xb0; 32];
pub const MALLORY_SEED: [u8; 32] = [0x4d; 32];

pub fn key(author: &str) -> AuthorKey {
    AuthorKey::from_seed(match author {
        ALICE => ALICE_SEED,
        BOB => BOB_SEED,
        _ => MALLORY_SEED,
    })
}

pub fn profile(id: &str, group: StakeholderGroup, region: Region) -> AuthorProfile {
    let mut name = id.to_owned();
    name[..1].make_ascii_uppercase();
    AuthorProfile {
        id: id.into(),
        display_name: name,
        organisation: format!("{id}'s network"),
        stakeholder_group: group,
        country: "Sénégal".into(),
        region,
        contact: Some(format!("{id}@example.org")),
        extra: Default::default(),
    }
}

/// Record `n` of `author`: ids are per author (0xa1.. for alice, 0xb0.. for bob).
pub fn record_id(author: &str, n: u8) -> Uuid {
    let prefix: u128 = match author {
        ALICE => 0xa1,
        BOB => 0xb0,
        _ => 0x4d,
    };
    Uuid::from_u128((prefix << 120) | u128::from(n))
}

pub fn record(author: &str, n: u8, kind: Kind, revision: u64, at: OffsetDateTime) -> Record {
    Record {
        id: record_id(author, n),
        kind,
        title: format!("{author}'s {kind:?} {n}"),
        description: "Deux jours\nà Tunis".into(),
        topics: vec!["C4".into(), "C7.e-health".into()],
        languages: vec!["fr".into()],
        revision,
        updated_at: at,
        author: author.into(),
        deleted: false,
        url: Some(format!("https://example.org/{author}/{n}")),
        event: (kind == Kind::Event).then(|| EventDetails {
            starts_on: "2005-11-16".into(),
            ends_on: "2005-11-18".into(),
            time_zone: "Africa/Tunis".into(),
            place: Some("Kram, Tunis".into()),
            online_url: Some("https://example.org/live".into()),
            ..Default::default()
        }),
        document: (kind == Kind::Document).then(|| DocumentDetails {
            language: Some("fr".into()),
            year: Some(2004),
            extra: Default::default(),
        }),
        partnership: (kind == Kind::Partnership).then(|| PartnershipDetails {
            partners: vec!["Ministère".into(), "ONG <Lien>".into()],
            objectives: "Connecter 100 écoles".into(),
            expected_results: String::new(),
            timeline: "2005–2007".into(),
            funding: Funding::Identified,
            agreement: AgreementType::Mou,
            ..Default::default()
        }),
        extra: Default::default(),
        confirmed_at: None,
    }
}

pub fn tombstone(author: &str, n: u8, kind: Kind, revision: u64, at: OffsetDateTime) -> Record {
    Record {
        title: String::new(),
        description: String::new(),
        topics: vec![],
        url: None,
        event: None,
        document: None,
        partnership: None,
        deleted: true,
        ..record(author, n, kind, revision, at)
    }
}

/// The honest authors' bundles, unsigned, in publishing order.
pub fn honest_bundles() -> Vec<Bundle> {
    let alice = profile(ALICE, StakeholderGroup::CivilSociety, Region::Africa);
    let mut alice_later = alice.clone();
    alice_later.organisation = "Réseau \"Femmes, TIC\"; Dakar".into();
    let bob = profile(BOB, StakeholderGroup::Government, Region::Europe);
    let t = |m: i64| datetime!(2005-01-10 10:00 UTC) + time::Duration::days(m);
    vec![
        Bundle::new(
            alice,
            vec![
                record(ALICE, 1, Kind::Network, 1, t(0)),
                record(ALICE, 2, Kind::Event, 1, t(0)),
                record(ALICE, 3, Kind::Document, 1, t(0)),
            ],
            t(0),
        ),
        Bundle::new(
            bob.clone(),
            vec![
                record(BOB, 1, Kind::Project, 1, t(2)),
                record(BOB, 2, Kind::Event, 1, t(2)),
            ],
            t(2),
        ),
        Bundle::new(
            alice_later,
            vec![
                record(ALICE, 1, Kind::Network, 2, t(30)),
                record(ALICE, 2, Kind::Event, 1, t(0)),
                tombstone(ALICE, 3, Kind::Document, 2, t(30)),
                record(ALICE, 4, Kind::Partnership, 1, t(30)),
            ],
            t(30),
        ),
        Bundle::new(
            bob,
            vec![
                record(BOB, 1, Kind::Project, 1, t(2)),
                record(BOB, 2, Kind::Event, 3, t(50)),
                record(BOB, 3, Kind::Document, 1, t(50)),
            ],
            t(50),
        ),
    ]
}

/// What the harness compares against.
pub struct Honest {
    pub community: Community,
    pub pins: KeyPins,
    pub alice_key: String,
    pub bob_key: String,
    /// The honest bundles as merged (for the order-independence check).
    pub bundles: Vec<Bundle>,
    /// The signed files (name, text), for the seed corpus.
    pub signed: Vec<(String, String)>,
}

impl Honest {
    pub fn key_of(&self, author: &str) -> &str {
        if author == ALICE {
            &self.alice_key
        } else {
            &self.bob_key
        }
    }
}

/// Built once per process: every file goes through the trust path, as a reader would take it.
pub fn honest() -> &'static Honest {
    static HONEST_VIEW: OnceLock<Honest> = OnceLock::new();
    HONEST_VIEW.get_or_init(|| {
        let mut pins = KeyPins::default();
        let alice_key = key(ALICE).public_key();
        let bob_key = key(BOB).public_key();
        pins.pin(ALICE, &alice_key);
        pins.pin(BOB, &bob_key);
        let mut community = Community::new();
        let mut bundles = Vec::new();
        let mut signed = Vec::new();
        for bundle in honest_bundles() {
            let author = bundle.author.id.clone();
            let text = key(&author)
                .sign_json(&bundle.to_json())
                .expect("a bundle signs");
            let name = format!("{author}.json");
            let trusted = accept_published(&name, text.as_bytes(), &pins)
                .unwrap_or_else(|e| panic!("honest bundle of {author} refused: {e:?}"));
            community.add_bundle(trusted.bundle.clone());
            bundles.push(trusted.bundle);
            signed.push((name, text));
        }
        Honest {
            community,
            pins,
            alice_key,
            bob_key,
            bundles,
            signed,
        }
    })
}
