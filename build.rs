//! Generates the interface strings' module from `locales/{fr,en}.json` (leptos_i18n): one file
//! per language, keys checked at compile time. Adding a language is a file here and one line.
//! Also turns on `cfg(wasm_split)` when `scripts/build-app.sh` asks for the later chunk
//! (`NETWORKSHOP_WASM_SPLIT=1`; see `src/components/later.rs`).

use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(wasm_split)");
    println!("cargo::rerun-if-env-changed=NETWORKSHOP_WASM_SPLIT");
    if std::env::var_os("NETWORKSHOP_WASM_SPLIT").is_some_and(|v| v == "1") {
        println!("cargo::rustc-cfg=wasm_split");
    }
    let module =
        PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let config = Config::new("fr")?
        .add_locale("en")?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(module)?;
    Ok(())
}
