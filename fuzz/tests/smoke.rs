//! The harness on the seed corpus and on a few thousand deterministic mutations of it, in
//! seconds: what `scripts/fuzz.sh` checks before it starts AFL++. `FUZZ_SMOKE_ITERATIONS`
//! sets the count and `FUZZ_SMOKE_SEED` the RNG seed; a failure prints both to replay it.

use networkshop_core::bundle::parse_bundle;
use networkshop_core::trust::accept_published;
use networkshop_fuzz::honest::{honest, ALICE};
use networkshop_fuzz::{check, impersonates, seeds};

#[test]
fn the_honest_community_and_the_seeds_hold() {
    let honest = honest();
    assert_eq!(honest.community.records_of(ALICE).count(), 3);
    let seeds = seeds::all();
    assert!(seeds.len() > 60, "{}", seeds.len());
    for (name, bytes) in &seeds {
        if let Err(violation) = check(bytes) {
            panic!("seed {name}: {violation}");
        }
    }
    // The seeds reach what they are for: the fixtures and mallory's own file are valid, her
    // file is accepted under her name, the replayed honest file under alice's.
    let find = |n: &str| &seeds.iter().find(|(name, _)| name == n).unwrap().1;
    assert!(parse_bundle(find("fixture-valid-full.json")).is_ok());
    let own = find("mallory-own.json");
    accept_published("mallory.json", own, &honest.pins).expect("mallory's own file");
    let replay = find("honest-2-alice.json");
    assert!(impersonates(replay));
    assert!(!impersonates(find("honest-2-alice.nl.json")));
    let trusted = accept_published("alice.json", replay, &honest.pins).unwrap();
    assert_eq!(trusted.public_key, honest.alice_key);
    for refused in ["impersonate-alice.json", "backdated-tombstones.json"] {
        assert_eq!(
            accept_published("alice.json", find(refused), &honest.pins)
                .unwrap_err()
                .code(),
            "key_changed",
            "{refused}"
        );
    }
    assert!(networkshop_fuzz::honest::honest()
        .community
        .id_collisions()
        .is_empty());
}

/// xorshift64*: fast, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "\"revision\":18446744073709551615,",
    "\"deleted\":true,",
    "\"author\":\"alice\",",
    "\"id\":\"alice\",",
    "\"version\":1,",
    "\"title\":\"\\r\\nBEGIN:VEVENT\",",
    "\"updated_at\":\"2000-01-01T00:00:00Z\",",
    "\u{85}",
    "\u{ffff}",
    "\\u0000",
    "[[[[[[[[",
    "1e400",
    "null",
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, other: &[u8]) {
    for _ in 0..1 + rng.below(4) {
        let len = input.len();
        match rng.below(7) {
            0 if len > 0 => {
                let at = rng.below(len);
                input[at] ^= 1 << rng.below(8);
            }
            1 => {
                let at = rng.below(len + 1);
                input.insert(at, rng.next() as u8);
            }
            2 if len > 0 => {
                let at = rng.below(len);
                let n = rng.below(16).min(len - at);
                input.drain(at..at + n);
            }
            3 if len > 0 => {
                let at = rng.below(len);
                let n = rng.below(64).min(len - at);
                let copy = input[at..at + n].to_vec();
                let to = rng.below(len + 1);
                input.splice(to..to, copy);
            }
            4 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                input.splice(at..at, token.iter().copied());
            }
            5 if !other.is_empty() => {
                let at = rng.below(len + 1);
                let from = rng.below(other.len());
                let n = rng.below(256).min(other.len() - from);
                input.truncate(at);
                input.extend_from_slice(&other[from..from + n]);
            }
            _ => {
                // Swap a quoted string with one from the other file.
                if let (Some(a), Some(b)) = (quoted(input, rng), quoted(other, rng)) {
                    let replacement = other[b.clone()].to_vec();
                    input.splice(a, replacement);
                }
            }
        }
    }
}

fn quoted(bytes: &[u8], rng: &mut Rng) -> Option<std::ops::Range<usize>> {
    let quotes: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'"')
        .map(|(i, _)| i)
        .collect();
    if quotes.len() < 2 {
        return None;
    }
    let i = rng.below(quotes.len() / 2) * 2;
    Some(quotes[i]..quotes[i + 1] + 1)
}

#[test]
fn mutated_seeds_hold() {
    let iterations: usize = std::env::var("FUZZ_SMOKE_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("FUZZ_SMOKE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_2005);
    let seeds = seeds::all();
    let mut rng = Rng(seed | 1);
    for i in 0..iterations {
        let mut input = seeds[rng.below(seeds.len())].1.clone();
        let other = &seeds[rng.below(seeds.len())].1;
        mutate(&mut rng, &mut input, other);
        if let Err(violation) = check(&input) {
            panic!(
                "FUZZ_SMOKE_SEED={seed} iteration {i}: {violation}\ninput: {}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}
