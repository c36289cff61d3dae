//! Performance API measures for the map benchmark (`scripts/bench-map.sh` reads them): how long
//! merging arriving bundles, filtering and drawing the map take, as the browser measures them.

fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|w| w.performance())
}

/// A measure under way: started with a mark, ended by [`Measure::end`].
pub struct Measure {
    name: &'static str,
}

pub fn start(name: &'static str) -> Measure {
    if let Some(performance) = performance() {
        let _ = performance.mark(&format!("{name}:start"));
    }
    Measure { name }
}

impl Measure {
    pub fn end(self) {
        if let Some(performance) = performance() {
            let _ = performance.measure_with_start_mark(self.name, &format!("{}:start", self.name));
        }
    }
}

/// A moment worth counting, such as a batch of files checked by the believer worker.
pub fn mark(name: &str) {
    if let Some(performance) = performance() {
        let _ = performance.mark(name);
    }
}
