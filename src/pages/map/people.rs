//! Who is on the map: the join code for the room and the list of participants.

use super::query::MapAddress;
use super::MapData;

use leptos::prelude::*;

use crate::i18n::{group_and_region, kind_label, number, topics_in_words, tr, use_lang};

/// The participant page's address as a QR code, so the room can join from their phones.
#[component]
pub(super) fn JoinCode(address: String) -> impl IntoView {
    let lang = use_lang();
    let svg = qrcode::QrCode::new(address.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color>()
                .min_dimensions(220, 220)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default();
    view! {
        <figure class="join-code" data-testid="join-code">
            <div class="qr" role="img" aria-label=move || tr!(lang.get(), qr_code_of_the_participant_page) inner_html=svg></div>
            <figcaption>
                <strong>{move || tr!(lang.get(), join_in)}</strong><br/>
                <span class="join-address">{address.clone()}</span>
            </figcaption>
        </figure>
    }
}

/// Everyone and their resources, drawn only while open: two thousand participants are tens of
/// thousands of lines nobody reads on a projector, and redrawing them would slow every update.
#[component]
pub(super) fn Participants(data: MapData, address: MapAddress) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    view! {
        <details class="people-list" on:toggle=move |ev| {
            let details: web_sys::HtmlDetailsElement = event_target(&ev);
            open.set(details.open());
        }>
            <summary>
                <h2 class="inline-heading">
                    {move || tr!(lang.get(), participants_and_their_resources)}
                    " "{move || data.with(|community, _| { let lang = lang.get(); tr!(lang, in_parentheses, count = number(lang, community.authors().count())).to_string() })}
                </h2>
            </summary>
            {move || open.get().then(|| view! {
                <ul class="people">
                    {move || data.with(|community, _| {
                        let lang = lang.get();
                        let mut by_author: std::collections::BTreeMap<&str, Vec<_>> = Default::default();
                        for record in community.records() {
                            by_author.entry(&record.author).or_default().push(record);
                        }
                        community.authors().map(|author| {
                            let records = by_author.remove(author.id.as_str()).unwrap_or_default();
                            let actor = author.id.clone();
                            view! {
                                <li class="person" data-author=author.id.clone()>
                                    <button type="button" class="link" on:click=move |_| { let actor = actor.clone(); address.change(|q| q.actor = Some(actor)) }>
                                        <strong><bdi>{author.display_name.clone()}</bdi></strong>
                                    </button>
                                    {(!author.organisation.is_empty()).then(|| view! { " — "<bdi>{author.organisation.clone()}</bdi> })}
                                    " "<span class="hint">{group_and_region(lang, author)}</span>
                                    <ul>
                                        {records.iter().map(|r| view! {
                                            <li class="community-resource"><bdi>{r.title.clone()}</bdi>" "<span class="hint">{kind_label(lang, r.kind)}" · "{topics_in_words(lang, &r.topics)}</span></li>
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }
                        }).collect_view()
                    })}
                </ul>
            })}
        </details>
    }
}
