//! A chart of counts (the core's `ChartTable`): one stacked bar per row, a segment per
//! column, and its table twin, visually hidden on screen and printed, so a screen reader and
//! a sheet of paper get every number.

use leptos::prelude::*;
use networkshop_core::map::charts::ChartTable;

use crate::i18n::{tr, tr_count, use_lang};

/// Colours most colour-blind readers tell apart (Okabe–Ito, its black made grey to show on the
/// projector's black too, then darker companions for tables with more columns); segments are
/// also separated by white strokes, since some pairs share a grey in print.
const PALETTE: [&str; 12] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999",
    "#7F3C8D", "#11A579", "#3969AC", "#80BA5A",
];

const WIDTH: f32 = 640.0;
const LABELS: f32 = 180.0;
const BARS: f32 = 390.0;
const ROW: f32 = 26.0;

/// A chart's numbers with its rows and columns already in words.
#[derive(Clone, PartialEq)]
pub struct ChartData {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<u32>>,
    pub row_totals: Vec<u32>,
    pub column_totals: Vec<u32>,
    pub total: u32,
    pub left_out: u32,
}

impl ChartData {
    pub fn new<R, C>(
        table: &ChartTable<R, C>,
        row: impl Fn(&R) -> String,
        column: impl Fn(&C) -> String,
    ) -> ChartData {
        ChartData {
            rows: table.rows.iter().map(row).collect(),
            columns: table.columns.iter().map(column).collect(),
            cells: table.cells.clone(),
            row_totals: table.row_totals.clone(),
            column_totals: table.column_totals.clone(),
            total: table.total,
            left_out: table.left_out,
        }
    }
}

#[component]
pub fn Chart(
    #[prop(into)] caption: String,
    data: ChartData,
    #[prop(into)] test_id: String,
) -> impl IntoView {
    let lang = use_lang();
    if data.total == 0 {
        return view! {
            <figure class="chart" data-testid=test_id>
                <figcaption>{caption}</figcaption>
                <p class="hint">{move || tr!(lang.get(), nothing_to_chart_yet)}</p>
            </figure>
        }
        .into_any();
    }
    // A bar is as long as its row's total (each record once), on one scale for the whole
    // chart; its segments share that length by their cells, which may count a record twice.
    let longest = data.row_totals.iter().copied().max().unwrap_or(0).max(1) as f32;
    let height = data.rows.len() as f32 * ROW + 8.0;
    let bars = data.rows.iter().enumerate().map(|(i, label)| {
        let y = 4.0 + i as f32 * ROW;
        let mut x = LABELS;
        let cells: u32 = data.cells[i].iter().sum::<u32>().max(1);
        let length = data.row_totals[i] as f32 / longest * BARS;
        let segments = data.cells[i].iter().enumerate().filter(|(_, n)| **n > 0).map(|(j, n)| {
            let width = *n as f32 / cells as f32 * length;
            let at = x;
            x += width;
            view! { <rect x=at y=y + 3.0 width=width height=ROW - 6.0 fill=PALETTE[j % PALETTE.len()] stroke="#fff" stroke-width="1"/> }
        }).collect_view();
        view! {
            <text x=LABELS - 8.0 y=y + ROW / 2.0 text-anchor="end" dominant-baseline="middle">{label.clone()}</text>
            {segments}
            <text x=x + 6.0 y=y + ROW / 2.0 dominant-baseline="middle" class="chart-total">{data.row_totals[i]}</text>
        }
    }).collect_view();
    let legend = data.columns.iter().enumerate().filter(|(j, _)| data.column_totals[*j] > 0).map(|(j, name)| view! {
        <li><svg viewBox="0 0 10 10" width="12" height="12" aria-hidden="true"><rect width="10" height="10" fill=PALETTE[j % PALETTE.len()]/></svg>" "{name.clone()}</li>
    }).collect_view();
    let left_out = data.left_out;
    view! {
        <figure class="chart" data-testid=test_id>
            <figcaption>{caption}</figcaption>
            // The table twin carries the numbers for screen readers; the picture would say them twice.
            <div class="chart-scroll"><svg class="chart-bars" viewBox=format!("0 0 {WIDTH} {height}") aria-hidden="true">{bars}</svg></div>
            <ul class="chart-legend" aria-hidden="true">{legend}</ul>
            {(left_out > 0).then(|| view! { <p class="hint">{move || tr_count!(lang.get(), chart_left_out_single, chart_left_out_several, left_out as usize)}</p> })}
            <ChartTwin data=data/>
        </figure>
    }
    .into_any()
}

/// Every number of the chart as a table: hidden on screen (the picture shows it), read by
/// screen readers, printed.
#[component]
fn ChartTwin(data: ChartData) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="chart-twin">
            <thead><tr>
                <td></td>
                {data.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
                <th scope="col">{move || tr!(lang.get(), total)}</th>
            </tr></thead>
            <tbody>
                {data.rows.iter().enumerate().map(|(i, row)| view! {
                    <tr>
                        <th scope="row">{row.clone()}</th>
                        {data.cells[i].iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                        <td>{data.row_totals[i]}</td>
                    </tr>
                }).collect_view()}
                <tr class="chart-totals">
                    <th scope="row">{move || tr!(lang.get(), total)}</th>
                    {data.column_totals.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                    <td>{data.total}</td>
                </tr>
            </tbody>
        </table>
    }
}
