//! The map's filters as the router gives them. The rules are the core's `ViewFilters`
//! (tested natively); this only reads them from a `ParamsMap`.

use leptos_router::params::ParamsMap;

pub use networkshop_core::map_query::ViewFilters as Filters;

/// `Filters::from_query` for the router's map: a core type cannot get an inherent method here,
/// and the core knows nothing of the router.
pub trait FromQuery {
    fn from_query(query: &ParamsMap) -> Self;
}

impl FromQuery for Filters {
    fn from_query(query: &ParamsMap) -> Filters {
        Filters::parse(query.into_iter().map(|(key, value)| (key.as_ref(), value)))
    }
}
