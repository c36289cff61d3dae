//! The binary killed (SIGKILL) in the middle of writes, trial after trial on one data folder.
//! After every restart: no temporary file is left, no file (bundle, token hash or key pin) is
//! torn, and no acknowledged write is lost (each author's file is its last acknowledged write, or the one in flight at the
//! kill, which may have landed without its answer getting out).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::process::{spawn_endpoint, Running};
use common::writes::{write_until_gone, Known};
use common::{has_temporary_file, key_of};
use reqwest::Client;

/// `CRASH_TRIALS` overrides it; each trial costs about half a second.
const TRIALS: usize = 5;
const AUTHORS: usize = 6;
/// Large enough that each write takes a while, so kills land mid-write.
const BUNDLE_BYTES: usize = 200_000;

fn author(index: usize) -> String {
    format!("author-{index}")
}

fn spawn(dist: &Path, data: &Path) -> Running {
    spawn_endpoint(dist, |command| {
        command.arg("--data").arg(data);
    })
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
                write_until_gone(
                    client.clone(),
                    server.base.clone(),
                    author(index),
                    format!("trial {trial}"),
                    BUNDLE_BYTES,
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
