//! The pure domain of Networkshop.
//!
//! Nothing in this crate touches a browser, a file or a socket: every function takes values and
//! returns values, so the app (wasm) and the endpoint (native) share one set of rules and the
//! whole domain is tested natively.

pub mod believing;
pub mod bulk_stream;
pub mod bundle;
pub mod catalogue;
pub mod export;
pub mod kept_form;
pub mod live;
pub mod map;
pub mod map_query;
pub mod merge;
pub mod networks;
pub mod publishing;
pub mod readiness;
pub mod record;
pub mod signing;
pub mod staleness;
pub mod strict_json;
pub mod text;
pub mod trust;
pub mod validate;
pub mod workspace;

#[cfg(test)]
mod test_support;

pub use bundle::{parse_backup, parse_bundle, Bundle, BundleError, BUNDLE_FORMAT, BUNDLE_VERSION};
pub use catalogue::{Catalogue, Topic};
pub use merge::{Changes, Community, MergeReport};
pub use networks::Networks;

pub use record::{AuthorProfile, Kind, Record, Region, StakeholderGroup};
pub use validate::{ErrorCode, FieldError};
