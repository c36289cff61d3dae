//! Placeholder: one action line's stakeholder team (seed 002).
