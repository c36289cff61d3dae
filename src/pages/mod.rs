//! One file per page.

pub mod about;
pub mod backup;
pub mod contribute;
pub mod map;
pub mod partners;
pub mod report;
pub mod team;
pub mod topics;
