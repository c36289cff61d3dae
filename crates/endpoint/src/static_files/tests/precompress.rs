//! The compressed copies written at start-up: once, next to their source, never in the way.

use std::fs;
use std::io;
use std::path::Path;
use std::time::SystemTime;

use crate::static_files::precompress::{
    is_compressed_copy, precompress, ABANDONED_AFTER, TEMPORARY_PREFIX,
};
use crate::static_files::{StaticFiles, LARGE_FILE_BYTES};

#[test]
fn compressed_copies_are_told_from_archives() {
    assert!(is_compressed_copy(Path::new("a/x.wasm.br")));
    assert!(is_compressed_copy(Path::new("index.html.gz")));
    assert!(!is_compressed_copy(Path::new("data.tar.gz")));
    assert!(!is_compressed_copy(Path::new("x.wasm")));
    assert!(!is_compressed_copy(Path::new("icon.ico.br")));
}

#[tokio::test]
async fn copies_are_written_once_and_decompress_to_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let text = "body { color: red }\n".repeat(500);
    fs::create_dir(dir.path().join("snippets")).unwrap();
    fs::write(dir.path().join("snippets/main.css"), &text).unwrap();
    fs::write(dir.path().join("favicon.ico"), [0u8; 64]).unwrap();
    let first = precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
    assert_eq!((first.files, first.written), (1, 2));
    assert_eq!(first.source_bytes, text.len() as u64);
    assert!(first.brotli_bytes < first.gzip_bytes && first.gzip_bytes < 400);
    let again = precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
    assert_eq!((again.files, again.written), (1, 0), "up to date");
    assert_eq!(again.brotli_bytes, first.brotli_bytes);

    let mut unbrotli = Vec::new();
    brotli::BrotliDecompress(
        &mut &fs::read(dir.path().join("snippets/main.css.br")).unwrap()[..],
        &mut unbrotli,
    )
    .unwrap();
    assert_eq!(unbrotli, text.as_bytes());
    let mut ungzip = Vec::new();
    io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(
            &fs::read(dir.path().join("snippets/main.css.gz")).unwrap()[..],
        ),
        &mut ungzip,
    )
    .unwrap();
    assert_eq!(ungzip, text.as_bytes());
    assert!(!dir.path().join("favicon.ico.br").exists());

    let files = StaticFiles::scan(dir.path(), LARGE_FILE_BYTES);
    assert_eq!(files.len(), 2, "copies are not assets");
    let css = files
        .lookup(&["snippets".into(), "main.css".into()])
        .await
        .unwrap();
    assert!(css.brotli.is_some() && css.gzip.is_some() && css.compressible);
    assert!(css.in_memory());
    let ico = files.lookup(&["favicon.ico".into()]).await.unwrap();
    assert!(ico.brotli.is_none() && ico.gzip.is_none() && !ico.compressible);
}

#[tokio::test]
async fn a_copy_in_the_way_is_skipped_and_not_used() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.js"), "init();".repeat(100)).unwrap();
    fs::create_dir(dir.path().join("app.js.br")).unwrap();
    let report = precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
    assert_eq!(report.written, 1, "the gzip copy still");
    let files = StaticFiles::scan(dir.path(), LARGE_FILE_BYTES);
    let js = files.lookup(&["app.js".into()]).await.unwrap();
    assert!(js.brotli.is_none() && js.gzip.is_some());
    assert!(!has_temporary(dir.path()));
}

#[test]
fn abandoned_temporaries_go_and_recent_ones_stay() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join(format!("{TEMPORARY_PREFIX}old"));
    let young = dir.path().join(format!("{TEMPORARY_PREFIX}young"));
    fs::write(&old, "torn").unwrap();
    fs::write(&young, "being written").unwrap();
    fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(SystemTime::now() - 2 * ABANDONED_AFTER)
        .unwrap();
    precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
    assert!(!old.exists() && young.exists());
    assert!(
        StaticFiles::scan(dir.path(), LARGE_FILE_BYTES).is_empty(),
        "never served"
    );
}

fn has_temporary(folder: &Path) -> bool {
    fs::read_dir(folder).unwrap().flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with(TEMPORARY_PREFIX)
    })
}
