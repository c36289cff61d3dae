//! Writes the seed corpus and AFL++'s dictionary: `seeds CORPUS_DIR DICTIONARY_FILE`.
//! Also replays files through the harness: `seeds --check FILE...` (a crash AFL++ saved, say)
//! prints the invariant each breaks, or "ok".

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--check") {
        let mut failed = false;
        for file in &args[1..] {
            let bytes = match std::fs::read(file) {
                Ok(bytes) => bytes,
                Err(e) => {
                    eprintln!("{file}: {e}");
                    failed = true;
                    continue;
                }
            };
            match std::panic::catch_unwind(|| networkshop_fuzz::check(&bytes)) {
                Ok(Ok(())) => println!("{file}: ok"),
                Ok(Err(violation)) => {
                    println!("{file}: invariant broken: {violation}");
                    failed = true;
                }
                Err(_) => {
                    println!("{file}: panicked (message above)");
                    failed = true;
                }
            }
        }
        return if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        };
    }
    let [corpus, dictionary] = args.as_slice() else {
        eprintln!("usage: seeds CORPUS_DIR DICTIONARY_FILE | seeds --check FILE...");
        return ExitCode::from(2);
    };
    let count = match networkshop_fuzz::seeds::write_corpus(Path::new(corpus)) {
        Ok(count) => count,
        Err(e) => {
            eprintln!("{corpus}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(dictionary, networkshop_fuzz::seeds::dictionary()) {
        eprintln!("{dictionary}: {e}");
        return ExitCode::FAILURE;
    }
    println!("seeds: {count} files in {corpus}, dictionary {dictionary}");
    ExitCode::SUCCESS
}
