//! The project's own fixture bundles, as seeds.

use std::path::{Path, PathBuf};

/// `tests/fixtures/bundles` at the repository root.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/bundles")
}

/// Every `.json` file under the fixtures, as (name, bytes), sorted by path.
pub fn fixtures() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let root = fixtures_dir();
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let name = path
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .trim_end_matches(".json")
                .replace('/', "-");
            Some((format!("fixture-{name}"), bytes))
        })
        .collect()
}
