use super::*;

#[test]
fn file_names_must_be_plain_author_ids() {
    assert_eq!(author_of_file_name("alice.json"), Some("alice"));
    for bad in [
        "../alice.json",
        ".tokens.json",
        "alice",
        "a/b.json",
        "Alice.json",
        ".json",
        "-x.json",
    ] {
        assert_eq!(author_of_file_name(bad), None, "{bad}");
    }
}

fn write(
    store: &BundleStore,
    bytes: &[u8],
    if_match: Option<&str>,
    if_none_match_any: bool,
    token: Option<&str>,
) -> Result<String, WriteError> {
    write_signed(store, "key-1", bytes, if_match, if_none_match_any, token)
}

fn write_signed(
    store: &BundleStore,
    public_key: &str,
    bytes: &[u8],
    if_match: Option<&str>,
    if_none_match_any: bool,
    token: Option<&str>,
) -> Result<String, WriteError> {
    store
        .write_locked(&Write {
            author: "alice".into(),
            bytes: bytes.to_vec(),
            if_match: if_match.map(str::to_owned),
            if_none_match_any,
            token: token.map(str::to_owned),
            public_key: public_key.into(),
        })
        .map(|written| written.etag)
}

#[test]
fn writes_need_the_right_token_then_the_right_precondition() {
    let dir = tempfile::tempdir().unwrap();
    let store = BundleStore::new(dir.path().to_owned());
    assert_eq!(
        write(&store, b"v1", None, true, None),
        Err(WriteError::TokenRequired)
    );
    let e1 = write(&store, b"v1", None, true, Some("secret")).unwrap();
    assert_eq!(
        write(&store, b"v2", None, true, Some("secret")),
        Err(WriteError::PreconditionFailed)
    );
    assert_eq!(
        write(&store, b"v2", None, false, Some("secret")),
        Err(WriteError::PreconditionRequired)
    );
    assert_eq!(
        write(&store, b"v2", Some("\"other\""), false, Some("secret")),
        Err(WriteError::PreconditionFailed)
    );
    // Refused whatever the precondition: the token comes first.
    for (if_match, if_none_match_any) in [(Some(e1.as_str()), false), (None, true), (None, false)] {
        assert_eq!(
            write(&store, b"v2", if_match, if_none_match_any, Some("stolen")),
            Err(WriteError::Forbidden)
        );
        assert_eq!(
            write(&store, b"v2", if_match, if_none_match_any, None),
            Err(WriteError::TokenRequired)
        );
    }
    let e2 = write(&store, b"v2", Some(&e1), false, Some("secret")).unwrap();
    assert_ne!(e1, e2);
    assert_eq!(store.read("alice").unwrap().unwrap(), b"v2");
    let listed = store.list_with_contents().unwrap();
    assert_eq!(listed.len(), 1, "the tokens folder is never listed");
    assert_eq!(listed[0].0.etag, e2);
}

#[test]
fn a_refused_first_write_claims_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = BundleStore::new(dir.path().to_owned());
    assert_eq!(
        write(&store, b"v1", Some("\"x\""), false, Some("early")),
        Err(WriteError::PreconditionFailed)
    );
    write(&store, b"v1", None, true, Some("owner")).unwrap();
    assert_eq!(
        write(&store, b"v2", None, true, Some("early")),
        Err(WriteError::Forbidden)
    );
}

#[test]
fn the_first_accepted_key_is_pinned_and_checked_after_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let store = BundleStore::new(dir.path().to_owned());
    // A refused first write pins nothing.
    assert_eq!(
        write_signed(&store, "key-0", b"v1", Some("\"x\""), false, Some("t")),
        Err(WriteError::PreconditionFailed)
    );
    let e1 = write_signed(&store, "key-1", b"v1", None, true, Some("t")).unwrap();
    let pin = dir.path().join(".tokens/alice.key");
    assert_eq!(fs::read_to_string(&pin).unwrap(), "key-1");
    // Another key is refused with the right token, whatever the precondition; a wrong
    // token is told so first.
    for (if_match, if_none_match_any) in [(Some(e1.as_str()), false), (None, true)] {
        assert_eq!(
            write_signed(
                &store,
                "key-2",
                b"v2",
                if_match,
                if_none_match_any,
                Some("t")
            ),
            Err(WriteError::KeyChanged)
        );
    }
    assert_eq!(
        write_signed(&store, "key-2", b"v2", Some(&e1), false, Some("other")),
        Err(WriteError::Forbidden)
    );
    assert_eq!(store.read("alice").unwrap().unwrap(), b"v1");
    let e2 = write_signed(&store, "key-1", b"v2", Some(&e1), false, Some("t")).unwrap();
    // An operator lets the author start over by deleting the pin: the next write pins.
    fs::remove_file(&pin).unwrap();
    write_signed(&store, "key-2", b"v3", Some(&e2), false, Some("t")).unwrap();
    assert_eq!(fs::read_to_string(&pin).unwrap(), "key-2");
    assert_eq!(store.list_with_contents().unwrap().len(), 1);
}

#[tokio::test]
async fn a_write_its_caller_gave_up_on_lands_before_the_next_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        BundleStore::new(dir.path().to_owned()).with_write_delay(Some(Duration::from_millis(300)));
    let e0 = write(&store, b"v0", None, true, Some("t")).unwrap();
    let put = |bytes: Vec<u8>| Write {
        author: "alice".into(),
        bytes,
        if_match: Some(e0.clone()),
        if_none_match_any: false,
        token: Some("t".into()),
        public_key: "key-1".into(),
    };
    let abandoned = vec![b' '; 1024 * 1024];
    let first = store.write(put(abandoned.clone()));
    assert!(
        tokio::time::timeout(Duration::from_millis(50), first)
            .await
            .is_err(),
        "the first write is still sleeping when its caller gives up"
    );
    assert_eq!(
        store.write(put(b"v1".to_vec())).await,
        Err(WriteError::PreconditionFailed)
    );
    assert_eq!(store.read("alice").unwrap().unwrap(), abandoned);
}
