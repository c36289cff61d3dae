//! Performance API measures for the map benchmark (`scripts/bench-map.sh` reads them): how long
//! merging arriving bundles, filtering and drawing the map take, as the browser measures them.

use wasm_bindgen::JsCast;

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

/// A moment worth counting, with how many things it counts as its `detail`: a batch of files
/// checked by the believer worker, and how many. (`mark` with options is called by name: web-sys
/// has it only among its unstable APIs.)
pub fn mark_counting(name: &str, count: usize) {
    let Some(performance) = performance() else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"detail".into(), &(count as f64).into());
    if let Ok(mark) = js_sys::Reflect::get(&performance, &"mark".into()) {
        if let Some(mark) = mark.dyn_ref::<js_sys::Function>() {
            let _ = mark.call2(&performance, &name.into(), &options);
        }
    }
}
