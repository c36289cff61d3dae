//! The endpoint binary as a child process: for kills, restarts, and several processes over
//! one bucket.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use networkshop_endpoint::objects::s3::S3Config;

pub struct Running {
    pub child: Child,
    pub base: String,
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

/// Starts the binary on a free loopback port serving `dist`; `configure` adds the store.
/// Returns once it prints its address (configuration checked, store probed).
pub fn spawn_endpoint(dist: &Path, configure: impl FnOnce(&mut Command)) -> Running {
    let mut command = Command::new(env!("CARGO_BIN_EXE_networkshop-endpoint"));
    command
        .args(["--addr", "127.0.0.1:0", "--dist"])
        .arg(dist)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped());
    configure(&mut command);
    let mut child = command.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base = line
        .split("running at ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    Running {
        child,
        base,
        _stdout: stdout,
    }
}

/// The arguments and environment of `--store s3://…`.
pub fn on_bucket(command: &mut Command, s3: &S3Config) {
    command
        .arg("--store")
        .arg(format!("s3://{}/{}", s3.bucket, s3.prefix))
        .arg("--s3-endpoint")
        .arg(&s3.endpoint)
        .arg("--s3-region")
        .arg(&s3.region)
        .env("AWS_ACCESS_KEY_ID", &s3.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &s3.secret_key);
}

/// Two processes on one bucket prefix, each writing a checkpoint every `every` changes.
pub fn two_on_bucket(dir: &Path, s3: &S3Config, every: u64) -> [Running; 2] {
    let dist = minimal_dist(dir);
    let start = || {
        spawn_endpoint(&dist, |command| {
            on_bucket(command, s3);
            command.arg("--checkpoint-changes").arg(every.to_string());
        })
    };
    [start(), start()]
}

/// A built app to serve: the tests need only its `index.html`.
pub fn minimal_dist(dir: &Path) -> std::path::PathBuf {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    dist
}
