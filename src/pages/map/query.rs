//! The map's address: one `MapQuery` (the core's, tested natively) read from the router, and
//! every change written back in one navigation, so two changes never race.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map_query::MapQuery;

type Navigate = Box<dyn Fn(&str, NavigateOptions)>;

#[derive(Clone, Copy)]
pub(super) struct MapAddress {
    pub query: Memo<MapQuery>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl MapAddress {
    pub fn new() -> MapAddress {
        let params = use_query_map();
        let query = Memo::new(move |_| {
            params.with(|params| {
                let pairs: Vec<(String, String)> = params
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                MapQuery::parse(
                    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                    Catalogue::wsis(),
                )
            })
        });
        let navigate: Navigate = Box::new(use_navigate());
        MapAddress {
            query,
            navigate: StoredValue::new_local(navigate),
        }
    }

    /// Changes the address in place (no new history entry, no scroll to the top).
    pub fn change(&self, edit: impl FnOnce(&mut MapQuery)) {
        let mut query = self.query.get_untracked();
        edit(&mut query);
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        let address = format!("/map?{}", query.to_search());
        self.navigate
            .with_value(|navigate| navigate(&address, options));
    }

    /// Opens a topic, or closes it when it is the open one.
    pub fn toggle_topic(&self, id: String) {
        self.change(|q| {
            q.topic = if q.topic.as_deref() == Some(&id) {
                None
            } else {
                Some(id)
            }
        });
    }
}
