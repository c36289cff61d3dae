//! Browser unit tests: run in headless Chromium by `wasm-bindgen-test-runner`
//! (`cargo test --target wasm32-unknown-unknown`, see scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use networkshop::storage::Store;
use networkshop::ParticipantApp;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn unique_db_name(prefix: &str) -> String {
    format!("{prefix}-{}", js_sys::Math::random())
}

async fn next_tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_its_title_navigation_and_language_switch() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let _handle = leptos::mount::mount_to(host.clone().unchecked_into(), ParticipantApp);
    next_tick().await;
    let text = host.text_content().unwrap();
    assert!(text.contains("Networkshop"), "{text}");
    let links = host.query_selector_all("nav a").unwrap().length();
    assert_eq!(links, 4);

    // Switching the language re-renders the navigation in that language.
    assert!(switch_language(&host, "en").await.contains("Topics"));
    assert!(switch_language(&host, "fr").await.contains("Thèmes"));
}

/// Clicks the language button `lang` and returns the navigation's text afterwards.
async fn switch_language(host: &web_sys::Element, lang: &str) -> String {
    let button: web_sys::HtmlElement = host
        .query_selector(&format!("button[lang={lang}]"))
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    next_tick().await;
    host.query_selector("nav")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
}

#[wasm_bindgen_test]
async fn records_written_to_indexeddb_survive_closing_and_reopening() {
    let name = unique_db_name("web-test");
    let store = Store::open(&name).await.unwrap();
    store
        .put_record("a", r#"{"title":"Réseau"}"#)
        .await
        .unwrap();
    store
        .put_record("b", r#"{"title":"Atelier"}"#)
        .await
        .unwrap();
    store
        .put_meta("profile", r#"{"display_name":"Aminata"}"#)
        .await
        .unwrap();
    store.close();

    let reopened = Store::open(&name).await.unwrap();
    let mut records = reopened.records().await.unwrap();
    records.sort();
    assert_eq!(
        records,
        vec![r#"{"title":"Atelier"}"#, r#"{"title":"Réseau"}"#]
    );
    assert_eq!(
        reopened.get_meta("profile").await.unwrap().as_deref(),
        Some(r#"{"display_name":"Aminata"}"#)
    );
    assert_eq!(reopened.get_meta("missing").await.unwrap(), None);
}

/// Puts a string value as an earlier build wrote it, straight into the database.
async fn put_as_written_before(
    db: &indexed_db_futures::database::Database,
    store: &str,
    key: &str,
    value: &str,
) {
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;

    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    tx.object_store(store)
        .unwrap()
        .put(value.to_string())
        .with_key(key.to_string())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_version_1_database_is_upgraded_with_its_drafts_kept() {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;

    let name = unique_db_name("web-upgrade");
    // The layout the first release shipped: `records` and `meta` only.
    let v1 = Database::open(&name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("records").build()?;
            db.create_object_store("meta").build()?;
            Ok(())
        })
        .await
        .unwrap();
    put_as_written_before(&v1, "records", "r1", r#"{"kept":true}"#).await;
    v1.close();

    let upgraded = Store::open(&name).await.unwrap();
    assert_eq!(
        upgraded.records().await.unwrap(),
        vec![r#"{"kept":true}"#.to_string()]
    );
    upgraded
        .put_community_packs(&[b"{}".to_vec()])
        .await
        .unwrap();
    assert_eq!(
        upgraded
            .community_bundles()
            .await
            .unwrap()
            .collect::<Vec<_>>(),
        vec![b"{}".to_vec()]
    );
}

#[wasm_bindgen_test]
async fn kept_copies_read_back_in_the_order_written_and_are_replaced_whole() {
    use networkshop::storage::COMMUNITY;

    let name = unique_db_name("web-kept");
    let store = Store::open(&name).await.unwrap();
    // A copy kept by a build before packs: one string per file name.
    let db = indexed_db_futures::database::Database::open(&name)
        .await
        .unwrap();
    put_as_written_before(&db, COMMUNITY, "zeta.json", r#"{"old":1}"#).await;
    db.close();
    store
        .put_community_packs(&[b"first".to_vec()])
        .await
        .unwrap();
    store
        .put_community_packs(&[b"second-0".to_vec(), b"second-1".to_vec()])
        .await
        .unwrap();
    assert_eq!(
        store.community_bundles().await.unwrap().collect::<Vec<_>>(),
        vec![
            br#"{"old":1}"#.to_vec(),
            b"first".to_vec(),
            b"second-0".to_vec(),
            b"second-1".to_vec(),
        ],
        "the old copy first, then the packs as written"
    );
    store
        .replace_community_packs(&[b"whole-0".to_vec(), b"whole-1".to_vec()])
        .await
        .unwrap();
    let packs: Vec<Vec<u8>> = store.community_bundles().await.unwrap().collect();
    assert_eq!(packs, vec![b"whole-0".to_vec(), b"whole-1".to_vec()]);
    // More values than one read asks for: all of them, still in the order written.
    for n in 0..10 {
        store
            .put_community_packs(&[format!("later-{n}").into_bytes()])
            .await
            .unwrap();
    }
    let values: Vec<Vec<u8>> = store.community_bundles().await.unwrap().collect();
    assert_eq!(values.len(), 12);
    assert_eq!(values[11], b"later-9".to_vec());
    assert_eq!(values[2], b"later-0".to_vec());
}
