//! Whole-file replacement that survives a crash, and the clean-up of what a crash leaves.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// Every temporary file starts with this, and no bundle or token name can: author ids never
/// start with a dot.
const TEMPORARY_PREFIX: &str = ".tmp-";

/// Temporary file in the same folder, fsync, rename over the target, fsync the folder: a crash
/// leaves the old file or the new one, never a torn one. `delay` is the test hook of
/// [`crate::Config::write_delay_per_mib`], slept between the fsync and the rename.
pub fn write_atomically(
    target: &Path,
    bytes: &[u8],
    delay: Option<Duration>,
) -> std::io::Result<()> {
    through_temporary(target, bytes, delay, |temporary| {
        fs::rename(temporary, target)
    })
}

/// Like [`write_atomically`], but only if `target` does not exist yet, decided atomically by
/// the file system (a hard link never replaces): two creators, in one process or two, cannot
/// both win. Fails with [`std::io::ErrorKind::AlreadyExists`] for the loser.
pub fn create_atomically(
    target: &Path,
    bytes: &[u8],
    delay: Option<Duration>,
) -> std::io::Result<()> {
    through_temporary(target, bytes, delay, |temporary| {
        fs::hard_link(temporary, target)
    })
}

/// Writes and syncs a temporary file next to `target`, sleeps `delay`, lets `place` put it at
/// `target`, syncs the folder; the temporary file never stays (a rename took it, or it goes).
fn through_temporary(
    target: &Path,
    bytes: &[u8],
    delay: Option<Duration>,
    place: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let folder = target.parent().unwrap_or(Path::new("."));
    let temporary = folder.join(format!("{TEMPORARY_PREFIX}{}", uuid::Uuid::new_v4()));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Some(delay) = delay {
            std::thread::sleep(delay);
        }
        place(&temporary)?;
        fs::File::open(folder)?.sync_all()
    })();
    // Left behind only if this fails too; start-up removes it then.
    let _ = fs::remove_file(&temporary);
    result
}

/// Removes the temporary files of writes a crash interrupted (a kill -9 runs no clean-up).
/// Only for start-up: a live write's temporary file would go too. Returns how many went.
pub fn remove_temporaries(folder: &Path) -> std::io::Result<usize> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let is_temporary = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(TEMPORARY_PREFIX));
        if is_temporary && entry.file_type()?.is_file() {
            match fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        write_atomically(&dir.path().join("alice.json"), b"{}", None).unwrap();
        fs::write(dir.path().join(".tmp-1"), b"torn").unwrap();
        fs::write(dir.path().join(".tmp-2"), b"").unwrap();
        fs::create_dir(dir.path().join(".tmp-folder")).unwrap();
        fs::write(dir.path().join("tmp-alice.json"), b"{}").unwrap();
        assert_eq!(remove_temporaries(dir.path()).unwrap(), 2);
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".tmp-folder", "alice.json", "tmp-alice.json"]);
        assert_eq!(remove_temporaries(&dir.path().join("missing")).unwrap(), 0);
    }
}
