//! The S3 bucket of the tests: a real Ceph RADOS Gateway started by `scripts/test.sh`
//! (`scripts/ceph.sh`), reached through `CEPH_S3_ENDPOINT`, `CEPH_S3_ACCESS_KEY`,
//! `CEPH_S3_SECRET_KEY` and `CEPH_S3_REGION`. Each test gets its own prefix in one bucket.
//!
//! Without a gateway these tests say so and pass, unless `NETWORKSHOP_REQUIRE_S3` is set,
//! as the test command sets it: there, a missing gateway fails them.

use networkshop_endpoint::objects::s3::{S3Config, S3Objects};

pub const BUCKET: &str = "networkshop-tests";

/// A fresh prefix of the test bucket, or `None` (with a note) when no gateway is configured.
pub async fn s3_config(test: &str) -> Option<S3Config> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let Some(endpoint) = var("CEPH_S3_ENDPOINT") else {
        assert!(
            var("NETWORKSHOP_REQUIRE_S3").is_none(),
            "NETWORKSHOP_REQUIRE_S3 is set but CEPH_S3_ENDPOINT is not: start the gateway \
             (scripts/ceph.sh)"
        );
        eprintln!("{test}: no S3 gateway (CEPH_S3_ENDPOINT unset), skipped");
        return None;
    };
    let config = S3Config {
        endpoint,
        region: var("CEPH_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
        bucket: BUCKET.into(),
        prefix: format!("{test}-{}", uuid::Uuid::new_v4().simple()),
        access_key: var("CEPH_S3_ACCESS_KEY").expect("CEPH_S3_ACCESS_KEY"),
        secret_key: var("CEPH_S3_SECRET_KEY").expect("CEPH_S3_SECRET_KEY"),
        create_bucket: false,
    };
    S3Objects::new(&config)
        .unwrap()
        .create_bucket()
        .await
        .expect("the test bucket");
    Some(config)
}
