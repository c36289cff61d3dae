//! Where a record stands, in words and a symbol: incomplete (and what is missing), waiting to
//! be published or for the network, on the map.

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::publishing::Status;
use networkshop_core::validate::validate_record;
use networkshop_core::workspace::{LocalRecord, PublishState};

use super::done::fields_in_words;
use crate::clock::time_of_day;
use crate::i18n::{tr, use_lang};
use crate::services::use_publishing;

#[component]
pub(super) fn RecordState(local: LocalRecord) -> impl IntoView {
    let lang = use_lang();
    let publishing = use_publishing();
    let errors = validate_record(&local.record, Catalogue::wsis());
    let state = local.state();
    let complete = errors.is_empty();
    let class = match (complete, state) {
        (false, _) => "incomplete",
        (true, PublishState::Published) => "on-map",
        (true, _) => "waiting",
    };
    let text = move || {
        let lang = lang.get();
        if !complete {
            let fields = fields_in_words(lang, &errors);
            return tr!(lang, state_incomplete, fields).to_string();
        }
        if state == PublishState::Published {
            return match publishing.meta.with(|m| m.last_published.clone()) {
                Some(at) => {
                    let time = time_of_day(&at, lang);
                    tr!(lang, state_on_map_since, time).to_string()
                }
                None => tr!(lang, state_on_map).to_owned(),
            };
        }
        if publishing
            .status
            .with(|s| matches!(s, Status::Retrying { .. }))
        {
            tr!(lang, state_waiting_for_network).to_owned()
        } else {
            tr!(lang, state_waiting_to_be_published).to_owned()
        }
    };
    view! { <span class=format!("badge state-{class}") data-testid="record-state">{text}</span> }
}
