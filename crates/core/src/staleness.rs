//! Placeholder: how current a record is (last confirmed, stale after 12 months).
