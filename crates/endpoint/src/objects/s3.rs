//! An S3-compatible bucket as the object store (AWS S3, Cloudflare R2, Ceph RGW, MinIO), shared
//! by any number of endpoint processes. Requests are signed by `rusty-s3` (SigV4, no I/O of
//! its own) and sent by `reqwest`.
//!
//! What real stores do that the S3 documentation does not say, and how it is met here:
//! - Ceph 16 takes `If-Match` on PUT only with the bare ETag (a quoted one always fails), so
//!   versions are kept and sent bare;
//! - under contention Ceph may answer a conditional PUT with 500 although nothing was
//!   written, and AWS answers 409 or 404 where Ceph gives 412: all of these are a
//!   [`PutError::Conflict`], after which the caller re-reads and decides;
//! - some stores ignore conditional writes altogether (Garage 2.5): [`S3Objects::probe`]
//!   refuses them at start-up.

use std::io;
use std::time::Duration;

use reqwest::header::{HeaderMap, ETAG, IF_MATCH, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::{Client, StatusCode};
use rusty_s3::actions::{ListObjectsV2, S3Action};
use rusty_s3::{Bucket, Credentials, UrlStyle};

use super::{Condition, Entry, Objects, PutError, Stored, Version, PAGE};

/// How long a signed request stays valid; each is sent at once.
const SIGNED_FOR: Duration = Duration::from_secs(120);

/// Where the bucket is and how to reach it (`--store s3://bucket/prefix`, `--s3-endpoint`,
/// `--s3-region`); the keys come from the environment.
#[derive(Debug, Clone, Default)]
pub struct S3Config {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    /// Prepended to every key, so several rooms can share a bucket.
    pub prefix: String,
    pub access_key: String,
    pub secret_key: String,
    /// Create the bucket at start-up if it is missing (`--s3-create-bucket`: first runs, tests).
    pub create_bucket: bool,
}

impl S3Config {
    /// Reads `s3://bucket/prefix`.
    pub fn parse_store(address: &str) -> Result<(String, String), String> {
        let rest = address
            .strip_prefix("s3://")
            .ok_or_else(|| format!("{address}: a store is s3://bucket/prefix"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!("{address}: no bucket"));
        }
        Ok((bucket.to_owned(), prefix.trim_matches('/').to_owned()))
    }
}

#[derive(Clone)]
pub struct S3Objects {
    bucket: Bucket,
    credentials: Credentials,
    prefix: String,
    client: Client,
}

fn failed(message: impl ToString) -> io::Error {
    io::Error::other(message.to_string())
}

fn bare(etag: &str) -> String {
    etag.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .to_owned()
}

fn version_of(headers: &HeaderMap) -> Version {
    headers
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(bare)
        .unwrap_or_default()
}

impl S3Objects {
    pub fn new(config: &S3Config) -> Result<S3Objects, String> {
        let endpoint = config
            .endpoint
            .parse()
            .map_err(|e| format!("--s3-endpoint {}: {e}", config.endpoint))?;
        // Virtual hosts for AWS itself; every other store is reached by path.
        let style = if config.endpoint.contains("amazonaws.com") {
            UrlStyle::VirtualHost
        } else {
            UrlStyle::Path
        };
        let bucket = Bucket::new(
            endpoint,
            style,
            config.bucket.clone(),
            config.region.clone(),
        )
        .map_err(|e| format!("bucket {}: {e}", config.bucket))?;
        let client = Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(S3Objects {
            bucket,
            credentials: Credentials::new(&config.access_key, &config.secret_key),
            prefix: if config.prefix.is_empty() {
                String::new()
            } else {
                format!("{}/", config.prefix)
            },
            client,
        })
    }

    fn full_key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Creates the bucket if it is not there (for tests and first runs); a bucket that exists
    /// already, whoever owns it, is left alone.
    pub async fn create_bucket(&self) -> io::Result<()> {
        let action = self.bucket.create_bucket(&self.credentials);
        let url = action.sign(SIGNED_FOR);
        let sent = self.client.put(url).body(action.body()).send().await;
        let response = sent.map_err(failed)?;
        match response.status() {
            s if s.is_success() || s == StatusCode::CONFLICT => Ok(()),
            s => {
                let text = response.text().await.unwrap_or_default();
                Err(failed(format!(
                    "creating bucket {}: {s} {text}",
                    self.bucket.name()
                )))
            }
        }
    }

    /// Refuses a store that ignores conditional writes: with it, two endpoint processes could
    /// both replace one author's file and one acknowledged write would be lost.
    pub async fn probe(&self) -> Result<(), String> {
        let key = format!("probe/{}", uuid::Uuid::new_v4());
        let check = |what: &str, result: Result<Version, PutError>, want_conflict: bool| match (
            result,
            want_conflict,
        ) {
            (Ok(_), false) | (Err(PutError::Conflict), true) => Ok(()),
            (Err(PutError::Failed(e)), _) => Err(format!("the store failed a test write: {e}")),
            _ => Err(format!(
                "the store does not honour {what} on PUT; several endpoint processes \
                     could overwrite each other's writes (see docs/deploy.md)"
            )),
        };
        let first = self.put(&key, b"1".to_vec(), Condition::Absent).await;
        let version = match &first {
            Ok(version) => version.clone(),
            Err(_) => String::new(),
        };
        if let Err(PutError::Conflict) = first {
            return Err(format!(
                "a test write to bucket {} was refused: does the bucket exist \
                 (--s3-create-bucket creates it) and may these keys write to it?",
                self.bucket.name()
            ));
        }
        check("If-None-Match", first, false)?;
        check(
            "If-None-Match: *",
            self.put(&key, b"2".to_vec(), Condition::Absent).await,
            true,
        )?;
        check(
            "If-Match",
            self.put(&key, b"3".to_vec(), Condition::Is("0".repeat(32)))
                .await,
            true,
        )?;
        check(
            "If-Match",
            self.put(&key, b"4".to_vec(), Condition::Is(version)).await,
            false,
        )?;
        let url = self
            .bucket
            .delete_object(Some(&self.credentials), &self.full_key(&key))
            .sign(SIGNED_FOR);
        let _ = self.client.delete(url).send().await;
        Ok(())
    }
}

impl Objects for S3Objects {
    const LISTING_IS_LOCAL: bool = false;

    async fn get(&self, key: &str) -> io::Result<Option<Stored>> {
        let full = self.full_key(key);
        let url = self
            .bucket
            .get_object(Some(&self.credentials), &full)
            .sign(SIGNED_FOR);
        let response = self.client.get(url).send().await.map_err(failed)?;
        match response.status() {
            StatusCode::OK => {}
            StatusCode::NOT_FOUND => return Ok(None),
            status => return Err(failed(format!("GET {full}: {status}"))),
        }
        let version = version_of(response.headers());
        let modified = response
            .headers()
            .get(LAST_MODIFIED)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok());
        let bytes = response.bytes().await.map_err(failed)?.to_vec();
        Ok(Some(Stored {
            bytes,
            version,
            modified,
        }))
    }

    async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> Result<Version, PutError> {
        let full = self.full_key(key);
        let mut action = self.bucket.put_object(Some(&self.credentials), &full);
        let (name, value) = match &condition {
            Condition::Absent => (IF_NONE_MATCH, "*".to_owned()),
            Condition::Is(version) => (IF_MATCH, bare(version)),
        };
        action.headers_mut().insert(name.as_str(), value.clone());
        let url = action.sign(SIGNED_FOR);
        let sent = self
            .client
            .put(url)
            .header(name, value)
            .body(bytes)
            .send()
            .await;
        let response = sent.map_err(|e| PutError::Failed(failed(e)))?;
        match response.status() {
            s if s.is_success() => Ok(version_of(response.headers())),
            StatusCode::PRECONDITION_FAILED
            | StatusCode::CONFLICT
            | StatusCode::NOT_FOUND
            | StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::SERVICE_UNAVAILABLE => Err(PutError::Conflict),
            status => Err(PutError::Failed(failed(format!("PUT {full}: {status}")))),
        }
    }

    async fn list(&self, area: &str, start_after: &str) -> io::Result<Vec<Entry>> {
        let area_prefix = self.full_key(&format!("{area}/"));
        let mut action = ListObjectsV2::new(&self.bucket, Some(&self.credentials));
        action.with_prefix(area_prefix.clone());
        action.with_max_keys(PAGE);
        if !start_after.is_empty() {
            action.with_start_after(format!("{area_prefix}{start_after}"));
        }
        let url = action.sign(SIGNED_FOR);
        let response = self.client.get(url).send().await.map_err(failed)?;
        let status = response.status();
        let text = response.text().await.map_err(failed)?;
        if !status.is_success() {
            return Err(failed(format!("listing {area_prefix}: {status}")));
        }
        let listed = ListObjectsV2::parse_response(&text).map_err(failed)?;
        Ok(listed
            .contents
            .into_iter()
            .filter_map(|object| {
                let name = object.key.strip_prefix(&area_prefix)?.to_owned();
                // Only this area's own names, not a deeper folder someone made by hand.
                (!name.contains('/')).then_some(Entry {
                    name,
                    version: object.etag.as_deref().map(bare),
                })
            })
            .collect())
    }
}
