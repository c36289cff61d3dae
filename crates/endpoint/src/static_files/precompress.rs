//! At start-up, the brotli and gzip copies written next to the app's compressible files, and
//! what tells a file, a copy and a temporary file apart on disk.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::encoding::Encoding;

/// Extensions of the files worth compressing (images other than SVG are compressed already).
const COMPRESSIBLE: &[&str] = &[
    "html",
    "js",
    "css",
    "wasm",
    "json",
    "svg",
    "webmanifest",
    "txt",
];

/// Prefix of the temporary files a compressed copy is written to before its rename.
pub(super) const TEMPORARY_PREFIX: &str = ".tmp-precompress-";

/// A temporary file this old was left by a start that died; a younger one may be a concurrent
/// start's, still being written.
pub(super) const ABANDONED_AFTER: Duration = Duration::from_secs(3600);

/// What a start-up's precompression did, for the log.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Precompression {
    /// Compressible files found.
    pub files: usize,
    /// Compressed copies written (missing or stale); the others were up to date.
    pub written: usize,
    /// Bytes of the compressible files, and of their brotli and gzip copies.
    pub source_bytes: u64,
    pub brotli_bytes: u64,
    pub gzip_bytes: u64,
}

/// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) next to every
/// compressible file of `dist` up to `large` bytes whose copy is missing or older than it,
/// each through a temporary file and a rename, so a concurrent start never serves half a file.
/// A copy is given its source's modification time, so a source dated in the future (a build
/// copied from another machine) does not make it look stale at every start.
///
/// Fails, having written nothing more, on the first error that says the folder cannot be
/// written (read-only, no permission); any other failure skips that copy with a warning.
pub fn precompress(dist: &Path, large: u64) -> io::Result<Precompression> {
    remove_abandoned_temporaries(dist);
    let mut report = Precompression::default();
    for source in files_of(dist) {
        if !is_compressible(&source) || is_compressed_copy(&source) {
            continue;
        }
        let Ok((modified, size)) = fs::metadata(&source).and_then(|m| Ok((m.modified()?, m.len())))
        else {
            continue;
        };
        if size > large {
            continue;
        }
        report.files += 1;
        let mut bytes: Option<Vec<u8>> = None;
        for encoding in Encoding::ALL {
            let copy = copy_path(&source, encoding);
            if !is_fresh(&copy, modified) {
                let source_bytes = match &bytes {
                    Some(bytes) => bytes,
                    None => match fs::read(&source) {
                        Ok(read) => bytes.insert(read),
                        Err(e) => {
                            tracing::warn!(file = %source.display(), error = %e, "cannot read a file to compress it");
                            break;
                        }
                    },
                };
                match write_copy(&copy, encoding, source_bytes, modified) {
                    Ok(()) => report.written += 1,
                    Err(e) if cannot_write_here(&e) => return Err(e),
                    Err(e) => {
                        tracing::warn!(file = %copy.display(), error = %e, "cannot write the compressed copy; the file is compressed per request");
                        continue;
                    }
                }
            }
            let copy_size = fs::metadata(&copy).map_or(0, |m| m.len());
            match encoding {
                Encoding::Brotli => report.brotli_bytes += copy_size,
                Encoding::Gzip => report.gzip_bytes += copy_size,
            }
        }
        report.source_bytes += size;
    }
    Ok(report)
}

fn cannot_write_here(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

fn write_copy(
    copy: &Path,
    encoding: Encoding,
    source: &[u8],
    modified: SystemTime,
) -> io::Result<()> {
    let folder = copy.parent().unwrap_or(Path::new("."));
    let temporary = folder.join(format!("{TEMPORARY_PREFIX}{}", uuid::Uuid::new_v4()));
    // Created first: a folder that cannot be written is known before seconds of brotli.
    let mut file = fs::File::create(&temporary)?;
    let result = (|| {
        file.write_all(&encoding.compress(source)?)?;
        file.sync_all()?;
        fs::rename(&temporary, copy)?;
        // Dated after the rename: a temporary file looking old could be taken for an
        // abandoned one by a concurrent start.
        file.set_modified(modified)
    })();
    drop(file);
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Removes the temporary files of starts that died mid-write (only old ones: a young one may
/// belong to a start running now).
fn remove_abandoned_temporaries(dist: &Path) {
    let now = SystemTime::now();
    let mut folders = vec![dist.to_owned()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                folders.push(entry.path());
                continue;
            }
            let abandoned = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(TEMPORARY_PREFIX))
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|m| now.duration_since(m).unwrap_or_default() > ABANDONED_AFTER);
            if abandoned {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

pub(super) fn copy_path(source: &Path, encoding: Encoding) -> PathBuf {
    let mut name = source.as_os_str().to_owned();
    name.push(encoding.suffix());
    PathBuf::from(name)
}

/// A compressed copy is used only when it is not older than its source.
pub(super) fn is_fresh(copy: &Path, source_modified: SystemTime) -> bool {
    fs::metadata(copy)
        .and_then(|m| Ok(m.is_file() && m.modified()? >= source_modified))
        .unwrap_or(false)
}

pub(super) fn extension(path: &Path) -> Option<&str> {
    path.extension().and_then(|e| e.to_str())
}

pub(super) fn is_compressible(path: &Path) -> bool {
    extension(path).is_some_and(|e| COMPRESSIBLE.iter().any(|c| c.eq_ignore_ascii_case(e)))
}

/// `x.wasm.br`, `x.js.gz`: a compressed copy, never an asset of its own (`x.tar.gz` is one).
pub(super) fn is_compressed_copy(path: &Path) -> bool {
    let Some(ext) = extension(path) else {
        return false;
    };
    Encoding::ALL.iter().any(|e| &e.suffix()[1..] == ext)
        && path
            .file_stem()
            .is_some_and(|stem| is_compressible(Path::new(stem)))
}

/// Every regular file under `dist` (symbolic links to files included, linked folders not
/// followed), but the temporary files of a write.
pub(super) fn files_of(dist: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dist.to_owned()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let temporary = entry
                .file_name()
                .to_str()
                .is_none_or(|n| n.starts_with(TEMPORARY_PREFIX));
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => folders.push(path),
                _ if temporary => {}
                _ if path.is_file() => files.push(path),
                _ => {}
            }
        }
    }
    files.sort();
    files
}

/// Runs [`precompress`] and logs what it did and how long it took; a folder that cannot be
/// written is a warning, and its files are then compressed per request as before.
pub fn precompress_and_log(dist: &Path, large: u64) {
    let started = Instant::now();
    match precompress(dist, large) {
        Ok(report) => tracing::info!(
            files = report.files,
            written = report.written,
            seconds = %format!("{:.2}", started.elapsed().as_secs_f64()),
            source_bytes = report.source_bytes,
            brotli_bytes = report.brotli_bytes,
            gzip_bytes = report.gzip_bytes,
            "precompressed the app's files (brotli 11, gzip 9)"
        ),
        Err(error) => tracing::warn!(
            dist = %dist.display(),
            %error,
            "cannot write compressed copies next to the app's files; they are compressed per request instead"
        ),
    }
}
