//! One file per page.

pub mod about;
pub mod contribute;
pub mod map;
pub mod report;
pub mod topics;
