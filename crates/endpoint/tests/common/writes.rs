//! One client writing an author's file version after version until the server is gone, and
//! what it knows afterwards: for tests that kill a server mid-write.

use std::sync::{Arc, Mutex};

use reqwest::header::{AUTHORIZATION, ETAG, IF_MATCH, IF_NONE_MATCH};
use reqwest::{Client, StatusCode};

use super::large_bundle;

/// What the client knows of one author's file.
#[derive(Default)]
pub struct Known {
    pub acknowledged: Option<Vec<u8>>,
    pub in_flight: Option<Vec<u8>>,
    pub acknowledgements: usize,
}

/// Writes `author`'s file at `base`, each version (`bytes` long, titled `label` and its round)
/// based on the last, until the server stops answering. The client is the author's only
/// writer: any refusal is a bug.
pub async fn write_until_gone(
    client: Client,
    base: String,
    author: String,
    label: String,
    bytes: usize,
    known: Arc<Mutex<Known>>,
) {
    let url = format!("{base}/bundles/{author}.json");
    let mut etag = match client.get(&url).send().await {
        Ok(r) if r.status() == StatusCode::NOT_FOUND => None,
        Ok(r) => Some(r.headers()[ETAG].to_str().unwrap().to_owned()),
        Err(_) => return,
    };
    for round in 0.. {
        let body = large_bundle(&author, &format!("{label} round {round}"), bytes);
        known.lock().unwrap().in_flight = Some(body.clone().into_bytes());
        let request = client
            .put(&url)
            .header(AUTHORIZATION, "Bearer t")
            .body(body);
        let request = match &etag {
            Some(e) => request.header(IF_MATCH, e),
            None => request.header(IF_NONE_MATCH, "*"),
        };
        let Ok(response) = request.send().await else {
            return;
        };
        assert!(
            response.status().is_success(),
            "{author}: {}",
            response.status()
        );
        etag = Some(response.headers()[ETAG].to_str().unwrap().to_owned());
        let mut known = known.lock().unwrap();
        known.acknowledged = known.in_flight.take();
        known.acknowledgements += 1;
    }
}
