//! The AFL++ target: `scripts/fuzz.sh` builds it with `cargo afl build --features afl`.
//! Persistent mode; a panic (a broken invariant included) aborts, which AFL++ saves as a crash.

fn main() {
    // The honest view is built once, before the fork server starts cloning the process.
    networkshop_fuzz::honest::honest();
    afl::fuzz!(|data: &[u8]| {
        networkshop_fuzz::run(data);
    });
}
