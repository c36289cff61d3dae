//! One record's form state, shared by the editor and the fields of each kind: the record as
//! stored, its errors, which fields the participant has touched, and how an edit is saved.

use std::collections::BTreeSet;

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::record::Record;
use networkshop_core::validate::{validate_record, FieldError};
use uuid::Uuid;

use super::fields::errors_for;
use crate::i18n::Lang;
use crate::services::{use_drafts, Drafts};

#[derive(Clone, Copy)]
pub(super) struct RecordForm {
    pub id: Uuid,
    pub record: Memo<Option<Record>>,
    pub errors: Memo<Vec<FieldError>>,
    touched: RwSignal<BTreeSet<&'static str>>,
    /// Every error is shown: after Done on an incomplete record, or for a record worked on
    /// before.
    pub show_all: RwSignal<bool>,
    drafts: Drafts,
}

impl RecordForm {
    pub fn new(id: Uuid) -> RecordForm {
        let drafts = use_drafts();
        let record = Memo::new(move |_| {
            drafts
                .workspace
                .with(|w| w.records.get(&id).map(|l| l.record.clone()))
        });
        let errors = Memo::new(move |_| {
            record
                .get()
                .map(|r| validate_record(&r, Catalogue::wsis()))
                .unwrap_or_default()
        });
        // No error on a field before the participant has typed in it, until Done.
        let show_all = RwSignal::new(
            record.with_untracked(|r| r.as_ref().is_some_and(|r| !r.title.trim().is_empty())),
        );
        RecordForm {
            id,
            record,
            errors,
            touched: RwSignal::new(BTreeSet::new()),
            show_all,
            drafts,
        }
    }

    pub fn touch(self, field: &'static str) {
        if !self.touched.with_untracked(|t| t.contains(field)) {
            self.touched.update(|t| {
                t.insert(field);
            });
        }
    }

    /// Applies `change` to the stored record and saves it (the drafts service stamps it).
    pub fn edit(self, field: &'static str, change: impl FnOnce(&mut Record)) {
        self.touch(field);
        if let Some(mut current) = self.record.get_untracked() {
            change(&mut current);
            self.drafts.save_record(current);
        }
    }

    /// A value read from the record (tracked), or its default while there is none.
    pub fn read<T: Default>(self, read: impl Fn(&Record) -> T) -> T {
        self.record
            .with(|r| r.as_ref().map(read).unwrap_or_default())
    }

    /// Whether errors are said under `field`: once the participant has touched it, or pressed
    /// Done.
    pub fn shown(self, field: &'static str) -> bool {
        self.show_all.get() || self.touched.with(|t| t.contains(field))
    }

    pub fn error(self, field: &'static str, lang: Lang) -> Option<String> {
        if self.shown(field) {
            self.errors.with(|e| errors_for(e, field, lang))
        } else {
            None
        }
    }

    /// An id unique to this record's `name` field.
    pub fn field_id(self, name: &str) -> String {
        format!("record-{}-{name}", self.id)
    }
}
