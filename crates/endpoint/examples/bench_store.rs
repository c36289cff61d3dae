//! The store benchmark behind `scripts/bench-store.sh`: N authors × M records published through
//! the endpoint binary, on the data folder (one process) and on an S3 bucket (two processes on
//! one prefix, requests alternating), in the same run. Prints, per store: PUTs per second, the
//! latency of a small `?since` delta and of a cold pull (`?since=0` then its checkpoint), and
//! the time and size of a checkpoint of everything.
//!
//! Usage: bench_store --endpoint-bin PATH [--authors N] [--per-author M] [--concurrency C]
//! The bucket comes from CEPH_S3_* (as the tests'); without it only the folder is measured.

use std::process::{Child, Command, Stdio};
use std::time::Instant;

use futures::stream::{self, StreamExt};
use networkshop_core::signing::AuthorKey;
use networkshop_endpoint::bundles::{BundleStore, CheckpointSettings};
use networkshop_endpoint::objects::folder::FolderObjects;
use networkshop_endpoint::objects::s3::{S3Config, S3Objects};
use networkshop_endpoint::objects::Objects;
use reqwest::Client;
use serde_json::{json, Value};

struct Args {
    bin: String,
    authors: usize,
    per_author: usize,
    concurrency: usize,
}

fn args() -> Args {
    let mut args = Args {
        bin: "target/release/networkshop-endpoint".into(),
        authors: 10_000,
        per_author: 20,
        concurrency: 32,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--endpoint-bin" => args.bin = value,
            "--authors" => args.authors = value.parse().expect("--authors N"),
            "--per-author" => args.per_author = value.parse().expect("--per-author M"),
            "--concurrency" => args.concurrency = value.parse().expect("--concurrency C"),
            other => panic!("unknown option {other}"),
        }
    }
    args
}

fn author_id(index: usize) -> String {
    format!("author-{index:05}")
}

/// A signed bundle of `per_author` records, as a participant's app would publish it.
fn bundle(index: usize, per_author: usize) -> String {
    let author = author_id(index);
    let records: Vec<Value> = (0..per_author)
        .map(|r| {
            let topic = ["C1", "C3", "C4", "C7.e-learning"][r % 4];
            json!({
                "id": format!("00000000-0000-4000-8000-{:012}", index * 1000 + r),
                "kind": "project", "title": format!("Projet {r} de {author}"),
                "description": "Télécentres communautaires et formation aux outils numériques.",
                "topics": [topic], "revision": 1,
                "updated_at": "2026-11-20T12:00:00Z", "author": author
            })
        })
        .collect();
    let unsigned = json!({
        "format": "networkshop.bundle", "version": 1, "generated_at": "2026-11-20T12:00:00Z",
        "author": { "id": author, "display_name": author, "stakeholder_group": "civil_society", "region": "africa" },
        "records": records
    });
    let mut seed = [7u8; 32];
    seed[..8].copy_from_slice(&(index as u64).to_le_bytes());
    AuthorKey::from_seed(seed)
        .sign_json(&unsigned.to_string())
        .unwrap()
}

/// The child, its address, and its stdout (held open: it logs there).
struct Process(
    Child,
    String,
    #[allow(dead_code)] std::io::BufReader<std::process::ChildStdout>,
);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(bin: &str, dist: &std::path::Path, store: &[String], envs: &[(&str, &str)]) -> Process {
    use std::io::BufRead;
    let mut child = Command::new(bin)
        .args(["--addr", "127.0.0.1:0", "--dist"])
        .arg(dist)
        .args(store)
        // Checkpoints are measured on their own, not during the writes.
        .args([
            "--checkpoint-changes",
            "100000000",
            "--checkpoint-seconds",
            "100000",
        ])
        .envs(envs.iter().copied())
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the endpoint binary (--endpoint-bin)");
    let mut line = String::new();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let base = line
        .split("running at ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("endpoint did not start: {line}"))
        .trim_end_matches('/')
        .to_owned();
    Process(child, base, stdout)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn timed_get(client: &Client, url: &str) -> (f64, Vec<u8>) {
    let start = Instant::now();
    let response = client.get(url).send().await.unwrap();
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    let body = response.bytes().await.unwrap().to_vec();
    (start.elapsed().as_secs_f64() * 1000.0, body)
}

/// Publishes every bundle through `bases` (alternating), then reads back deltas and a cold
/// pull, then times a checkpoint of everything with `store` (the same bytes, in-process).
async fn measure<O: Objects>(
    name: &str,
    bases: &[String],
    bundles: &[String],
    store: BundleStore<O>,
    concurrency: usize,
) {
    let client = Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    let start = Instant::now();
    let statuses: Vec<u16> = stream::iter(bundles.iter().enumerate())
        .map(|(i, body)| {
            let url = format!("{}/bundles/{}.json", bases[i % bases.len()], author_id(i));
            let client = client.clone();
            async move {
                let sent = client
                    .put(url)
                    .header("authorization", format!("Bearer t{i}"))
                    .header("if-none-match", "*")
                    .body(body.clone())
                    .send()
                    .await;
                sent.map(|r| r.status().as_u16()).unwrap_or(0)
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let seconds = start.elapsed().as_secs_f64();
    let failed: Vec<&u16> = statuses.iter().filter(|s| **s != 201).collect();
    assert!(
        failed.is_empty(),
        "{name}: {} PUTs failed: {failed:?}",
        failed.len()
    );
    let total_mib = bundles.iter().map(String::len).sum::<usize>() as f64 / (1024.0 * 1024.0);
    println!("{name}: {} PUTs ({total_mib:.1} MiB) in {seconds:.1} s: {:.0} PUTs/s through {} process(es)",
        bundles.len(), bundles.len() as f64 / seconds, bases.len());

    // Writes that finished together share a change number: learn the last one, then ask for
    // the last ten numbers' worth, as a polling map does.
    let (_, everything) = timed_get(&client, &format!("{}/bundles/?since=0", bases[0])).await;
    let last = serde_json::from_slice::<Value>(&everything).unwrap()["seq"]
        .as_u64()
        .unwrap();
    let mut small = Vec::new();
    let mut changed = 0;
    for round in 0..50 {
        let url = format!(
            "{}/bundles/?since={}",
            bases[round % bases.len()],
            last.saturating_sub(10)
        );
        let (ms, body) = timed_get(&client, &url).await;
        changed = serde_json::from_slice::<Value>(&body).unwrap()["changed"]
            .as_array()
            .unwrap()
            .len();
        small.push(ms);
    }
    small.sort_by(f64::total_cmp);
    println!("{name}: {last} change numbers; ?since=<last-10> ({changed} bundles): median {:.1} ms, p99 {:.1} ms", percentile(&small, 0.5), percentile(&small, 0.99));

    let start = Instant::now();
    let seq = store
        .write_checkpoint()
        .await
        .unwrap()
        .expect("a checkpoint");
    let build = start.elapsed().as_secs_f64();
    let size = store.checkpoint_file(seq).await.unwrap().unwrap().len();
    println!("{name}: checkpoint of {} bundles as of change {seq}: built in {build:.2} s, {:.1} MiB gzip", bundles.len(), size as f64 / (1024.0 * 1024.0));

    let mut cold = Vec::new();
    for round in 0..3 {
        let base = &bases[round % bases.len()];
        let start = Instant::now();
        let (_, delta) = timed_get(&client, &format!("{base}/bundles/?since=0")).await;
        let delta: Value = serde_json::from_slice(&delta).unwrap();
        let url = format!(
            "{base}{}",
            delta["checkpoint"]["url"]
                .as_str()
                .expect("a checkpoint link")
        );
        let response = client
            .get(url)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        let body = response.bytes().await.unwrap();
        cold.push((start.elapsed().as_secs_f64() * 1000.0, body.len()));
    }
    cold.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("{name}: cold pull (?since=0 + checkpoint, 2 requests): median {:.0} ms, {:.1} MiB on the wire", cold[1].0, cold[1].1 as f64 / (1024.0 * 1024.0));
}

#[tokio::main]
async fn main() {
    let args = args();
    println!(
        "bench-store: {} authors x {} records, {} concurrent PUTs",
        args.authors, args.per_author, args.concurrency
    );
    let bundles: Vec<String> = (0..args.authors)
        .map(|i| bundle(i, args.per_author))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();

    let data = dir.path().join("data");
    let folder = spawn(
        &args.bin,
        &dist,
        &["--data".into(), data.display().to_string()],
        &[],
    );
    let store = BundleStore::new(FolderObjects::new(data), CheckpointSettings::default());
    measure(
        "folder",
        std::slice::from_ref(&folder.1),
        &bundles,
        store,
        args.concurrency,
    )
    .await;
    drop(folder);

    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let Some(endpoint) = var("CEPH_S3_ENDPOINT") else {
        println!("s3: skipped (no CEPH_S3_ENDPOINT)");
        return;
    };
    let s3 = S3Config {
        endpoint: endpoint.clone(),
        region: var("CEPH_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
        bucket: "networkshop-bench".into(),
        prefix: format!("run-{}", uuid::Uuid::new_v4().simple()),
        access_key: var("CEPH_S3_ACCESS_KEY").unwrap(),
        secret_key: var("CEPH_S3_SECRET_KEY").unwrap(),
        create_bucket: true,
    };
    let objects = S3Objects::new(&s3).unwrap();
    objects.create_bucket().await.unwrap();
    let store_args = vec![
        "--store".into(),
        format!("s3://{}/{}", s3.bucket, s3.prefix),
        "--s3-endpoint".into(),
        endpoint,
        "--s3-region".into(),
        s3.region.clone(),
    ];
    let envs = [
        ("AWS_ACCESS_KEY_ID", s3.access_key.as_str()),
        ("AWS_SECRET_ACCESS_KEY", s3.secret_key.as_str()),
    ];
    let processes = [
        spawn(&args.bin, &dist, &store_args, &envs),
        spawn(&args.bin, &dist, &store_args, &envs),
    ];
    let bases: Vec<String> = processes.iter().map(|p| p.1.clone()).collect();
    let store = BundleStore::new(objects, CheckpointSettings::default());
    measure("s3 (Ceph RGW)", &bases, &bundles, store, args.concurrency).await;
}
