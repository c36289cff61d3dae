//! The simulated endpoint (ETags, write tokens, authorization before preconditions) and the
//! seeded randomness the whole world follows.

use uuid::Uuid;

use crate::bundle::{parse_bundle, Bundle};
use crate::publishing::{HttpAnswer, Precondition};
use crate::record::Record;

/// xorshift64*: the whole run follows from one seed, so proptest can replay a failure.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) % n.max(1)
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Default)]
pub(super) struct Endpoint {
    pub(super) file: Option<(Bundle, String)>,
    pub(super) owner: Option<String>,
    pub(super) writes: u64,
    pub(super) refusals: u64,
}

impl Endpoint {
    /// Authorization before preconditions, as the real endpoint does.
    pub(super) fn put(
        &mut self,
        body: &str,
        precondition: &Precondition,
        token: &str,
    ) -> HttpAnswer {
        let bundle = parse_bundle(body.as_bytes()).expect("the publisher sends valid bundles");
        if self.owner.as_deref().is_some_and(|owner| owner != token) {
            self.refusals += 1;
            return status(403, "forbidden");
        }
        let holds = match (precondition, &self.file) {
            (Precondition::Absent, None) => true,
            (Precondition::Matches(etag), Some((_, current))) => etag == current,
            _ => false,
        };
        if !holds {
            return status(412, "precondition_failed");
        }
        self.writes += 1;
        let etag = format!("\"e{}\"", self.writes);
        self.owner.get_or_insert_with(|| token.to_owned());
        self.file = Some((bundle, etag.clone()));
        HttpAnswer::Ok {
            etag: Some(etag),
            body: None,
        }
    }

    pub(super) fn get(&self) -> HttpAnswer {
        match &self.file {
            Some((bundle, etag)) => HttpAnswer::Ok {
                etag: Some(etag.clone()),
                body: Some(bundle.to_json()),
            },
            None => status(404, "not_found"),
        }
    }

    pub(super) fn record(&self, id: Uuid) -> Option<&Record> {
        self.file.as_ref()?.0.records.iter().find(|r| r.id == id)
    }
}

pub(super) fn status(status: u16, code: &str) -> HttpAnswer {
    HttpAnswer::Status {
        status,
        code: code.into(),
    }
}
