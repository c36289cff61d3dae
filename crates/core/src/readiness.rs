//! Placeholder: seed 000's seven guiding principles as a checklist derived from a partnership record.
