//! The binary killed (SIGKILL) in the middle of writes, trial after trial on one data folder.
//! After every restart: no temporary file is left, no file (bundle, token hash or key pin) is
//! torn, and no acknowledged write is lost (each author's file is its last acknowledged write, or the one in flight at the
//! kill, which may have landed without its answer getting out).

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{has_temporary_file, key_of, large_bundle};
use reqwest::header::{AUTHORIZATION, ETAG, IF_MATCH, IF_NONE_MATCH};
use reqwest::{Client, StatusCode};

/// `CRASH_TRIALS` overrides it; each trial costs about half a second.
const TRIALS: usize = 5;
const AUTHORS: usize = 6;
/// Large enough that each write takes a while, so kills land mid-write.
const BUNDLE_BYTES: usize = 200_000;

struct Running {
    child: Child,
    base: String,
    // Held so that the server's stdout stays open for as long as it runs.
    _stdout: BufReader<ChildStdout>,
}

/// A failed check must not leave the server running (it would hold the test's output open).
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(dist: &Path, data: &Path) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_networkshop-endpoint"))
        .args(["--addr", "127.0.0.1:0", "--dist"])
        .arg(dist)
        .arg("--data")
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // Printed once the configuration is checked and the data folder cleaned.
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base = line
        .split("running at ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .trim_end_matches('/')
        .to_owned();
    Running {
        child,
        base,
        _stdout: stdout,
    }
}

/// What the client knows of one author's file.
#[derive(Default)]
struct Known {
    acknowledged: Option<Vec<u8>>,
    in_flight: Option<Vec<u8>>,
    acknowledgements: usize,
}

fn author(index: usize) -> String {
    format!("author-{index}")
}

/// Writes one version after another, each based on the last, until the server is gone.
async fn write_until_killed(
    client: Client,
    base: String,
    index: usize,
    trial: usize,
    known: Arc<Mutex<Known>>,
) {
    let author = author(index);
    let url = format!("{base}/bundles/{author}.json");
    let mut etag = match client.get(&url).send().await {
        Ok(r) if r.status() == StatusCode::NOT_FOUND => None,
        Ok(r) => Some(r.headers()[ETAG].to_str().unwrap().to_owned()),
        Err(_) => return,
    };
    for round in 0.. {
        let body = large_bundle(
            &author,
            &format!("trial {trial} round {round}"),
            BUNDLE_BYTES,
        );
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
        // This client is the author's only writer: anything but success is a bug.
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

fn temporaries(folder: &Path) -> usize {
    fs::read_dir(folder).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
            .count()
    })
}

/// The checks after a restart; what is on disk then becomes what the client knows.
fn check_after_restart(data: &Path, known: &[Arc<Mutex<Known>>], trial: usize) {
    let tokens = data.join(".tokens");
    assert!(
        !has_temporary_file(data) && !has_temporary_file(&tokens),
        "trial {trial}: temporary files survived the restart"
    );
    for entry in fs::read_dir(data).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            networkshop_core::parse_bundle(&fs::read(&path).unwrap())
                .unwrap_or_else(|e| panic!("trial {trial}: {name} is torn: {e}"));
            // The key is pinned before the file lands: no file is served unpinned.
            let pin = tokens.join(name.replace(".json", ".key"));
            assert!(pin.is_file(), "trial {trial}: {name} has no pinned key");
        }
    }
    for entry in fs::read_dir(&tokens).into_iter().flatten() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(author) = name.strip_suffix(".key") {
            assert_eq!(
                text,
                key_of(author).public_key(),
                "trial {trial}: torn pin {name}"
            );
        } else {
            assert!(
                text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()),
                "trial {trial}: torn token {text:?}"
            );
        }
    }
    for (index, known) in known.iter().enumerate() {
        let on_disk = fs::read(data.join(format!("{}.json", author(index)))).ok();
        let mut known = known.lock().unwrap();
        assert!(
            on_disk == known.acknowledged || (on_disk.is_some() && on_disk == known.in_flight),
            "trial {trial}: {}'s last acknowledged write is lost",
            author(index)
        );
        known.acknowledged = on_disk;
        known.in_flight = None;
    }
}

#[test]
fn a_server_killed_while_writing_leaves_only_whole_files() {
    let trials = std::env::var("CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(TRIALS);
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    fs::create_dir_all(&dist).unwrap();
    fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let data: PathBuf = dir.path().join("data");
    let known: Vec<Arc<Mutex<Known>>> = (0..AUTHORS).map(|_| Arc::default()).collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (mut trials_leaving_temporaries, mut temporaries_left) = (0, 0);

    for trial in 0..trials {
        let mut server = spawn(&dist, &data);
        check_after_restart(&data, &known, trial);
        // A different point in the writes each trial.
        let kill_after = Duration::from_millis(100 + (trial as u64 * 73) % 400);
        runtime.block_on(async {
            let client = Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
            let writers = known.iter().enumerate().map(|(index, known)| {
                write_until_killed(
                    client.clone(),
                    server.base.clone(),
                    index,
                    trial,
                    known.clone(),
                )
            });
            let killer = async {
                tokio::time::sleep(kill_after).await;
                server.child.kill().unwrap();
            };
            tokio::join!(futures::future::join_all(writers), killer);
        });
        server.child.wait().unwrap();
        let left = temporaries(&data) + temporaries(&data.join(".tokens"));
        temporaries_left += left;
        trials_leaving_temporaries += usize::from(left > 0);
    }
    let _restarted = spawn(&dist, &data);
    check_after_restart(&data, &known, trials);

    let acknowledged: usize = known
        .iter()
        .map(|k| k.lock().unwrap().acknowledgements)
        .sum();
    assert!(
        acknowledged > 0,
        "no write was acknowledged before the kills"
    );
    eprintln!(
        "{trials} kills: {acknowledged} acknowledged writes, none lost, no torn file; \
         {trials_leaving_temporaries} kills left {temporaries_left} temporary files, \
         all removed at restart"
    );
}
