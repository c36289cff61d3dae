//! The files read and answered from memory; the copies written at start-up are tested in
//! `tests/precompress.rs`.

mod precompress;

use std::time::Duration;

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};

use super::asset::{is_content_hashed, Variant, IMMUTABLE, REVALIDATE};
use super::encoding::Encoding;
use super::precompress::precompress;
use super::response::{negotiate, single_range};
use super::*;

#[test]
fn trunk_hashes_are_recognised_and_nothing_else() {
    for name in [
        "networkshop-18d768c8c7c81299_bg.wasm",
        "networkshop-18d768c8c7c81299.js",
        "main-9244fe5190667fcb.css",
        "bf2795610d3718c2-loader.js",
        "networkshop-8d768c8c7c81299_bg.wasm",
        "my-app-0123456789abcdef.js",
    ] {
        assert!(is_content_hashed(name), "{name}");
    }
    for name in [
        "index.html",
        "sw.js",
        "loader.js",
        "manifest.webmanifest",
        "icon.svg",
        "report-20240101120000.pdf",
        "backup-1700000000000000.json",
        "main-9244FE5190667FCB.css",
        "main-9244fe51906.css",
        "main-9244fe5190667fcb0.css",
        "main_9244fe5190667fcb.css",
    ] {
        assert!(!is_content_hashed(name), "{name}");
    }
}

#[test]
fn the_preferred_copy_is_chosen_among_those_there_are() {
    let choose = |accept: &str, brotli: bool, gzip: bool| {
        negotiate(Some(&HeaderValue::from_str(accept).unwrap()), brotli, gzip)
    };
    use Encoding::{Brotli, Gzip};
    assert_eq!(choose("gzip, deflate, br, zstd", true, true), Some(Brotli));
    assert_eq!(choose("br", true, true), Some(Brotli));
    assert_eq!(choose("gzip", true, true), Some(Gzip));
    assert_eq!(choose("GZIP;Q=1, br;q=0.5", true, true), Some(Gzip));
    assert_eq!(choose("br;q=0, gzip", true, true), Some(Gzip));
    assert_eq!(choose("br", false, true), None, "no brotli copy");
    assert_eq!(choose("br, gzip", false, true), Some(Gzip));
    assert_eq!(choose("*", true, true), Some(Brotli));
    assert_eq!(choose("*;q=0.1, gzip", true, true), Some(Gzip));
    assert_eq!(choose("identity", true, true), None);
    assert_eq!(choose("br;q=0, gzip;q=0", true, true), None);
    assert_eq!(choose("x-gzip", true, true), Some(Gzip));
    assert_eq!(negotiate(None, true, true), None);
}

#[test]
fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
    let etag = HeaderValue::from_static("\"abc-br\"");
    for (list, hit) in [
        ("\"abc-br\"", true),
        ("W/\"abc-br\"", true),
        ("\"x\", \"abc-br\"", true),
        ("\"x\",W/\"abc-br\" ", true),
        ("*", true),
        ("\"abc\"", false),
        ("\"abc-gz\", \"abc\"", false),
        ("", false),
    ] {
        let list = HeaderValue::from_str(list).unwrap();
        assert_eq!(if_none_match_hits(&list, &etag), hit, "{list:?}");
    }
}

#[test]
fn one_byte_range_is_served_and_others_ignored_or_refused() {
    assert_eq!(single_range("bytes=0-9", 100), Some(Ok((0, 9))));
    assert_eq!(single_range("bytes=90-", 100), Some(Ok((90, 99))));
    assert_eq!(single_range("bytes=90-500", 100), Some(Ok((90, 99))));
    assert_eq!(single_range("bytes=-10", 100), Some(Ok((90, 99))));
    assert_eq!(single_range("bytes=-500", 100), Some(Ok((0, 99))));
    assert_eq!(single_range("bytes=100-", 100), Some(Err(())));
    assert_eq!(single_range("bytes=-0", 100), Some(Err(())));
    assert_eq!(single_range("bytes=0-1,5-6", 100), None);
    assert_eq!(single_range("bytes=9-0", 100), None);
    assert_eq!(single_range("items=0-9", 100), None);
    assert_eq!(single_range("bytes=a-b", 100), None);
}

#[tokio::test]
async fn answers_from_memory_304_head_range_and_if_range() {
    let dir = tempfile::tempdir().unwrap();
    let text = "export function init() {}\n".repeat(100);
    fs::write(dir.path().join("app-0123456789abcdef.js"), &text).unwrap();
    precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
    let files = StaticFiles::scan(dir.path(), LARGE_FILE_BYTES);
    let js = files
        .lookup(&["app-0123456789abcdef.js".into()])
        .await
        .unwrap();
    let headers = |pairs: &[(header::HeaderName, &str)]| {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name, HeaderValue::from_str(value).unwrap());
        }
        map
    };
    let br = js
        .respond(&Method::GET, &headers(&[(header::ACCEPT_ENCODING, "br")]))
        .unwrap();
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(br.headers()[header::CONTENT_TYPE], "text/javascript");
    assert_eq!(br.headers()[header::CACHE_CONTROL], IMMUTABLE);
    let etag = br.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.ends_with("-br\""), "{etag}");
    let length: usize = br.headers()[header::CONTENT_LENGTH]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(length < text.len() / 10);

    let head = js
        .respond(&Method::HEAD, &headers(&[(header::ACCEPT_ENCODING, "br")]))
        .unwrap();
    assert_eq!(
        head.headers()[header::CONTENT_LENGTH],
        length.to_string().as_str()
    );
    assert_eq!(head.headers()[header::ETAG], etag.as_str());

    let again = js
        .respond(
            &Method::GET,
            &headers(&[
                (header::ACCEPT_ENCODING, "br"),
                (header::IF_NONE_MATCH, &etag),
            ]),
        )
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[header::ETAG], etag.as_str());
    assert!(again.headers().get(header::CONTENT_ENCODING).is_none());

    let range = js
        .respond(&Method::GET, &headers(&[(header::RANGE, "bytes=0-5")]))
        .unwrap();
    assert_eq!(range.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        range.headers()[header::CONTENT_RANGE],
        format!("bytes 0-5/{}", text.len()).as_str()
    );
    assert!(range.extensions().get::<ServedUncompressed>().is_some());
    let stale_range = js
        .respond(
            &Method::GET,
            &headers(&[(header::RANGE, "bytes=0-5"), (header::IF_RANGE, "\"old\"")]),
        )
        .unwrap();
    assert_eq!(stale_range.status(), StatusCode::OK);
    let past_end = js
        .respond(&Method::GET, &headers(&[(header::RANGE, "bytes=99999-")]))
        .unwrap();
    assert_eq!(past_end.status(), StatusCode::RANGE_NOT_SATISFIABLE);

    let large = StaticFiles::scan(dir.path(), 10);
    let js = large
        .lookup(&["app-0123456789abcdef.js".into()])
        .await
        .unwrap();
    assert!(!js.in_memory() && js.brotli.is_some());
    assert!(
        js.respond(&Method::GET, &HeaderMap::new()).is_none(),
        "read from disk"
    );
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|n| n.to_string()).collect()
}

#[tokio::test]
async fn only_plain_names_of_files_designate_one() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.js"), "").unwrap();
    fs::write(dir.path().join("app.js.br"), "").unwrap();
    fs::write(dir.path().join(format!("{TEMPORARY_PREFIX}1")), "").unwrap();
    fs::create_dir(dir.path().join("folder")).unwrap();
    let files = StaticFiles::scan(dir.path(), LARGE_FILE_BYTES);
    assert!(files.lookup(&names(&["app.js"])).await.is_some());
    for missing in [
        &["missing.js"][..],
        &["app.js\0"],
        &[],
        &["folder"],
        &["app.js.br"],
        &[&format!("{TEMPORARY_PREFIX}1")],
        &["folder", "..", "app.js"],
        &["/app.js"],
    ] {
        assert!(files.lookup(&names(missing)).await.is_none(), "{missing:?}");
    }
}

#[tokio::test]
async fn a_file_changed_on_disk_is_read_again_with_its_own_policy() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("index.html");
    fs::write(&page, "<script type=\"module\">init(1)</script>".repeat(10)).unwrap();
    precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
    let files = StaticFiles::scan(dir.path(), LARGE_FILE_BYTES);
    let first = files.lookup(&names(&["index.html"])).await.unwrap();
    assert!(first.brotli.is_some());
    let again = files.lookup(&names(&["index.html"])).await.unwrap();
    assert!(Arc::ptr_eq(&first, &again), "unchanged: the same");

    // A new build's page, one second newer (coarse file systems), its copies now stale.
    fs::write(&page, "<script type=\"module\">init(2)</script>".repeat(10)).unwrap();
    fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(SystemTime::now() + Duration::from_secs(1))
        .unwrap();
    let changed = files.lookup(&names(&["index.html"])).await.unwrap();
    assert_ne!(changed.identity.etag, first.identity.etag);
    assert!(
        changed.brotli.is_none() && changed.gzip.is_none(),
        "stale copies unused"
    );
    let policy = |asset: &Asset| asset.csp.as_ref().unwrap().to_str().unwrap().to_owned();
    assert_ne!(policy(&changed), policy(&first), "the new script's hash");
    let response = changed.respond(&Method::GET, &HeaderMap::new()).unwrap();
    assert_eq!(
        response.headers()[header::CONTENT_SECURITY_POLICY],
        policy(&changed).as_str()
    );

    fs::remove_file(&page).unwrap();
    assert!(files.lookup(&names(&["index.html"])).await.is_none());
}

#[test]
fn the_cache_is_emptied_rather_than_grown_past_its_limit() {
    let asset = |size: usize| {
        Arc::new(Asset {
            path: PathBuf::new(),
            content_type: HeaderValue::from_static("text/plain"),
            cache_control: HeaderValue::from_static(REVALIDATE),
            compressible: false,
            identity: Variant::new(HeaderValue::from_static("\"x\""), Some(vec![0; size])),
            brotli: None,
            gzip: None,
            stamp: (0, SystemTime::UNIX_EPOCH),
            csp: None,
        })
    };
    let third = 1000;
    let mut cache = Cache::new(3 * third as u64);
    cache.insert("a".into(), asset(third));
    cache.insert("b".into(), asset(third));
    cache.insert("b".into(), asset(third));
    assert_eq!((cache.assets.len(), cache.bytes), (2, 2 * third as u64));
    cache.insert("c".into(), asset(third));
    assert_eq!(cache.assets.len(), 3);
    cache.insert("d".into(), asset(third));
    assert_eq!((cache.assets.len(), cache.bytes), (1, third as u64));
}
