//! The Export menu: the view at hand (the map's, filtered or not, or a participant's own
//! records) in the formats other tools read, formatted by the core in the interface language,
//! named with the date and the filter.

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::export::{ExportContext, Format};
use networkshop_core::Community;

use crate::files::{download, let_the_page_paint, today};
use crate::i18n::{tr, use_lang, Lang};
use crate::services::now;

/// Each format named by what it is for, then its technical name in brackets.
fn format_label(lang: Lang, format: Format) -> &'static str {
    match format {
        Format::Csv => tr!(lang, format_csv),
        Format::Json => tr!(lang, format_json),
        Format::ICalendar => tr!(lang, format_icalendar),
        Format::CslJson => tr!(lang, format_csl_json),
        Format::JsonLd => tr!(lang, format_json_ld),
        Format::Gexf => tr!(lang, format_gexf),
    }
}

/// `source` gives the community to export when a format is chosen; `name` is the part of the
/// file name after `networkshop-DATE-` (the view and its filters).
#[component]
pub fn ExportMenu(
    source: Callback<(), Community>,
    name: Signal<String>,
    #[prop(optional, into)] report_href: Option<Signal<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let busy = RwSignal::new(None::<Format>);
    let message = RwSignal::new(None::<String>);
    let export = move |format: Format| {
        busy.set(Some(format));
        message.set(None);
        spawn_local(async move {
            // The message paints before the formatting, which may take a moment on a big view.
            let_the_page_paint().await;
            let community = source.run(());
            let lang_now = lang.get_untracked();
            let context = ExportContext {
                catalogue: networkshop_core::Catalogue::wsis(),
                // Topic titles, and the CSV's dialect: semicolons and French headers for the
                // French interface, as French-locale spreadsheet programs expect.
                lang: lang_now,
                generated_at: now(),
            };
            let empty = match format.kinds() {
                Some(kinds) => !community.records().any(|r| kinds.contains(&r.kind)),
                None => {
                    community.records().next().is_none() && community.authors().next().is_none()
                }
            };
            if empty {
                message.set(Some(
                    tr!(lang_now, nothing_to_export_in_this_format).to_owned(),
                ));
            } else {
                let text = format.render(&community, &context);
                let suffix = name.get_untracked();
                let file = if suffix.is_empty() {
                    format!("networkshop-{}.{}", today(), format.extension())
                } else {
                    format!("networkshop-{}-{suffix}.{}", today(), format.extension())
                };
                download(&file, format.media_type(), &text);
                message.set(Some(tr!(lang_now, file_ready, file).to_string()));
            }
            busy.set(None);
        });
    };
    view! {
        <details class="export-menu">
            <summary>{move || tr!(lang.get(), export)}</summary>
            <ul>
                {Format::ALL.iter().map(|format| {
                    let format = *format;
                    view! {
                        <li>
                            <button type="button" data-format=format.extension() disabled=move || busy.get().is_some()
                                on:click=move |_| export(format)>
                                {move || format_label(lang.get(), format)}
                            </button>
                        </li>
                    }
                }).collect_view()}
                {report_href.map(|href| view! {
                    <li><a href=move || href.get() data-testid="report-link">{move || tr!(lang.get(), printable_report_by_action_line)}</a></li>
                })}
            </ul>
            <p role="status" class="hint">
                {move || if busy.get().is_some() { tr!(lang.get(), preparing).to_owned() } else { message.get().unwrap_or_default() }}
            </p>
        </details>
    }
}
