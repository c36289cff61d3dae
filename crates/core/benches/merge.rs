//! Merge benchmark: 1,000 author bundles of 50 records over the real catalogue.
//! Run: `cargo bench -p networkshop-core --bench merge`. Prints figures; asserts nothing about speed.
//! Other sizes: `BENCH_AUTHORS=10000 BENCH_RECORDS=20 cargo bench -p networkshop-core --bench merge`.

use std::time::Instant;

use networkshop_core::bulk_stream::EntrySplitter;
use networkshop_core::kept_form;
use networkshop_core::live::{LiveCommunity, LiveLoad};
use networkshop_core::map::Arrivals;
use networkshop_core::map_query::ViewFilters;
use networkshop_core::networks::drawing::draw_network;
use networkshop_core::record::{AuthorProfile, Kind, Record, Region, StakeholderGroup};
use networkshop_core::signing::{canonical_bytes, verify, AuthorKey};
use networkshop_core::strict_json;
use networkshop_core::trust::{accept_published, published_signing_key, KeyPins};
use networkshop_core::{Bundle, Catalogue, Community, Networks};
use time::macros::datetime;
use uuid::Uuid;

fn size(variable: &str, default: usize) -> usize {
    std::env::var(variable)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator, so every run measures the same data.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn bundle(author: usize, rng: &mut Lcg, topics: &[&str]) -> Bundle {
    let id = format!("author-{author:05}");
    let profile = AuthorProfile {
        id: id.clone(),
        display_name: format!("Participant {author}"),
        organisation: format!("Organisation {}", author % 97),
        stakeholder_group: StakeholderGroup::ALL[rng.below(5)],
        country: String::new(),
        region: Region::ALL[rng.below(7)],
        contact: None,
        extra: Default::default(),
    };
    let records = (0..size("BENCH_RECORDS", 50))
        .map(|n| Record {
            id: Uuid::from_u128(((author as u128) << 32) | n as u128),
            kind: Kind::ALL[rng.below(5)],
            title: format!("Ressource {n} de {id}"),
            description: "Description d'une ressource identifiée pendant le processus du SMSI."
                .into(),
            topics: (0..1 + rng.below(3))
                .map(|_| topics[rng.below(topics.len())].to_owned())
                .collect(),
            languages: vec!["fr".into(), "en".into()],
            revision: 1 + rng.below(4) as u64,
            updated_at: datetime!(2005-01-01 10:00 UTC),
            author: id.clone(),
            deleted: rng.below(50) == 0,
            url: None,
            event: None,
            document: None,
            partnership: None,
            extra: Default::default(),
            confirmed_at: None,
        })
        .map(|mut r| {
            r.topics.sort();
            r.topics.dedup();
            if r.kind == Kind::Event || r.kind == Kind::Partnership {
                r.kind = Kind::Project; // details are not what this measures
            }
            r
        })
        .collect();
    Bundle::new(profile, records, datetime!(2005-01-01 10:00 UTC))
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What a reader's first visit spends per file before merging: the strict parse, the signature
/// (canonical bytes and Ed25519) and the typed decode with validation, each timed alone.
fn believe_signed(files: &[(String, String)]) {
    let key = AuthorKey::from_seed([7; 32]);
    let signed: Vec<(String, String)> = files
        .iter()
        .map(|(name, json)| (name.clone(), key.sign_json(json).expect("signs")))
        .collect();
    let pins = KeyPins::default();
    let ms = |started: Instant| started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    for (name, json) in &signed {
        accept_published(name, json.as_bytes(), &pins).expect("believed");
    }
    let believe = ms(started);
    let started = Instant::now();
    for (_, json) in &signed {
        published_signing_key(json.as_bytes()).expect("signed");
    }
    let worker = ms(started);
    let started = Instant::now();
    let values: Vec<serde_json::Value> = signed
        .iter()
        .map(|(_, json)| strict_json::parse(json.as_bytes()).expect("parses"))
        .collect();
    let parse = ms(started);
    let started = Instant::now();
    let canonical: usize = values.iter().map(|v| canonical_bytes(v).len()).sum();
    let canon = ms(started);
    let started = Instant::now();
    for value in &values {
        verify(value).expect("verifies");
    }
    let verified = ms(started);
    println!(
        "believe signed files:     {believe:>9.1} ms (strict parse {parse:.1}, canonical bytes {canon:.1} of {:.1} MiB, verify incl. canonical {verified:.1})",
        canonical as f64 / 1048576.0
    );
    println!("the worker's check:       {worker:>9.1} ms (published_signing_key: canonical bytes from the text, Ed25519)");
}

/// What a first visit spends finding the files of the checkpoint as it arrives (64 KiB pieces,
/// as a download gives them), before any of them is read.
fn split_checkpoint(files: &[(String, String)]) {
    let mut document = String::from(r#"{"seq":1,"bundles":["#);
    for (n, (name, json)) in files.iter().enumerate() {
        if n > 0 {
            document.push(',');
        }
        document.push_str(&format!(
            r#"{{"name":"{name}","etag":"\"e{n}\"","bundle":{json}}}"#
        ));
    }
    document.push_str("]}");
    let started = Instant::now();
    let mut splitter = EntrySplitter::new("bundles");
    let found: usize = document
        .as_bytes()
        .chunks(64 * 1024)
        .map(|piece| splitter.feed(piece).len())
        .sum();
    let split = started.elapsed().as_secs_f64() * 1e3;
    assert_eq!(found, files.len());
    println!(
        "split the checkpoint:     {split:>9.1} ms ({:.1} MiB in 64 KiB pieces)",
        document.len() as f64 / 1048576.0
    );
}

/// Opening the map again reads every kept copy back: as the JSON files were kept, and as this
/// reader keeps them now (`kept_form`).
fn read_kept(files: &[(String, String)]) {
    let bundles: Vec<Bundle> = files
        .iter()
        .map(|(_, json)| serde_json::from_slice(json.as_bytes()).expect("a bundle"))
        .collect();
    let kept: Vec<Vec<u8>> = bundles.iter().map(kept_form::keep).collect();
    let ms = |started: Instant| started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    let from_json = files
        .iter()
        .filter_map(|(_, json)| serde_json::from_slice::<Bundle>(json.as_bytes()).ok())
        .count();
    let json = ms(started);
    let started = Instant::now();
    let from_kept = kept
        .iter()
        .filter_map(|bytes| kept_form::read(bytes))
        .count();
    let binary = ms(started);
    assert_eq!((from_json, from_kept), (files.len(), files.len()));
    let size = |n: usize| n as f64 / 1048576.0;
    println!(
        "read kept copies:         {json:>9.1} ms as JSON ({:.1} MiB), {binary:.1} ms in the kept form ({:.1} MiB)",
        size(files.iter().map(|(_, f)| f.len()).sum()),
        size(kept.iter().map(Vec::len).sum())
    );
}

fn main() {
    let authors = size("BENCH_AUTHORS", 1_000);
    let catalogue = Catalogue::wsis();
    let topics: Vec<&str> = catalogue.topics().iter().map(|t| t.id.as_str()).collect();
    let mut rng = Lcg(2003);
    let files: Vec<(String, String)> = (0..authors)
        .map(|a| {
            (
                format!("author-{a:05}.json"),
                bundle(a, &mut rng, &topics).to_json(),
            )
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, f)| f.len()).sum();
    println!(
        "{authors} bundles x {} records, {:.1} MiB of JSON",
        size("BENCH_RECORDS", 50),
        bytes as f64 / 1048576.0
    );

    believe_signed(&files);
    split_checkpoint(&files);
    read_kept(&files);

    let started = Instant::now();
    let (community, report) =
        Community::from_sources(files.iter().map(|(n, f)| (n.as_str(), f.as_bytes())));
    let merge = started.elapsed();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected.first());

    // The map's way: every bundle into the live view one by one, its index kept in step.
    let bundles: Vec<Bundle> = community.bundles();
    let started = Instant::now();
    let mut live = LiveCommunity::new(catalogue);
    for (bundle, (name, _)) in bundles.into_iter().zip(&files) {
        live.upsert(name, bundle);
    }
    let live_merge = started.elapsed();
    drop(live);
    // The same files at once, as kept copies read back are: one merge, the index built once.
    let bundles: Vec<Bundle> = community.bundles();
    let started = Instant::now();
    let live = LiveCommunity::from_sources(
        files.iter().map(|(name, _)| name.clone()).zip(bundles),
        catalogue,
    );
    let live_bulk = started.elapsed();
    drop(live);
    // The kept copies read back as the map does: merged as they come, indexed in parts.
    let bundles: Vec<Bundle> = community.bundles();
    let started = Instant::now();
    let mut load = LiveLoad::new(catalogue);
    for (bundle, (name, _)) in bundles.into_iter().zip(&files) {
        load.add(name.clone(), bundle);
    }
    let mut indexing = load.indexing();
    while !indexing.step(2_000) {}
    let live = indexing.finish();
    let live_load = started.elapsed();
    drop(live);

    let started = Instant::now();
    let networks = Networks::build(&community, catalogue);
    let derive = started.elapsed();

    let started = Instant::now();
    let gaps = networks.gaps(&community, 3);
    let suggestions = networks.partner_suggestions(&community, "author-00000", 10);
    let queries = started.elapsed();

    // What a filter change costs the map: the filtered view and its index (one group).
    let filters = ViewFilters::parse([("group", "civil_society")]);
    let started = Instant::now();
    let filtered = filters.apply(&community);
    let filter_view = started.elapsed();
    let started = Instant::now();
    let filtered_networks = Networks::build(&filtered, catalogue);
    let filter_index = started.elapsed();

    // Opening an action line on the map: the drawing (and its text twin's links).
    let started = Instant::now();
    let drawing = draw_network(&community, &networks, "C7", 60);
    let open_line = started.elapsed();

    // The feed's first look at the room, as the end of the map's first visit makes it.
    let started = Instant::now();
    let mut arrivals = Arrivals::default();
    arrivals.observe(&community, 0);
    let feed = arrivals.latest(&community, 20).len();
    let first_look = started.elapsed();

    let newcomer = bundle(authors, &mut rng, &topics);
    let mut live_community = community.clone();
    let mut live_networks = networks.clone();
    let started = Instant::now();
    let changes = live_community.add_bundle(newcomer);
    live_networks.apply(&live_community, &changes);
    let incremental = started.elapsed();

    println!(
        "parse + validate + merge: {:>9.1} ms",
        merge.as_secs_f64() * 1e3
    );
    println!(
        "live view, bundle by bundle: {:>6.1} ms",
        live_merge.as_secs_f64() * 1e3
    );
    println!(
        "live view, all at once:   {:>9.1} ms",
        live_bulk.as_secs_f64() * 1e3
    );
    println!(
        "live view, loaded in parts: {:>7.1} ms (the kept copies: merged, then indexed 2,000 records at a time)",
        live_load.as_secs_f64() * 1e3
    );
    println!(
        "derive networks:          {:>9.1} ms",
        derive.as_secs_f64() * 1e3
    );
    println!(
        "gaps + 10 suggestions:    {:>9.1} ms",
        queries.as_secs_f64() * 1e3
    );
    println!(
        "filter: view / index:     {:>9.1} ms / {:.1} ms ({} records)",
        filter_view.as_secs_f64() * 1e3,
        filter_index.as_secs_f64() * 1e3,
        filtered_networks.resources()
    );
    println!(
        "open action line C7:      {:>9.1} ms ({} actors, {} nodes)",
        open_line.as_secs_f64() * 1e3,
        networks.topic("C7").map_or(0, |t| t.actors.len()),
        drawing.nodes.len()
    );
    println!(
        "the feed's first look:    {:>9.1} ms ({feed} listed)",
        first_look.as_secs_f64() * 1e3
    );
    println!(
        "one new bundle (incr.):   {:>9.3} ms",
        incremental.as_secs_f64() * 1e3
    );
    println!(
        "visible records: {}, empty topics: {}, top suggestion shares {} topics",
        community.records().count(),
        gaps.empty.len(),
        suggestions.first().map_or(0, |s| s.shared_topics.len())
    );
    if let Some(kib) = peak_memory_kib() {
        println!("peak memory (VmHWM):      {:>9.1} MiB", kib as f64 / 1024.0);
    }
}
