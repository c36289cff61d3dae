//! The counts behind the report's and the map's charts: seed 003's diagrams of partnership
//! agreements by beneficiary region and by domain of activity per year, and the same questions
//! asked of every resource. The app draws the SVG and names rows and columns from their codes;
//! this module only counts, on whatever view it is given (the report and the map pass their
//! filtered views).
//!
//! A record can sit in several cells (a partnership for two regions, a resource on two action
//! lines): it counts whole in each, as "agreements benefiting Africa" reads. Seed 003 split
//! such agreements in halves (16.5); whole counts need no fractions, and the totals count each
//! record once, so they say how many agreements there are where the cells add up to more.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::team::iso_date;
use crate::catalogue::Catalogue;
use crate::merge::Community;
use crate::record::{Domain, EventFormat, Kind, Record, Region, StakeholderGroup};

#[cfg(test)]
mod tests;

/// Rows by columns of record counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartTable<R, C> {
    pub rows: Vec<R>,
    pub columns: Vec<C>,
    /// `cells[row][column]`: records in that row and that column.
    pub cells: Vec<Vec<u32>>,
    /// Records in each row, each once however many of its columns it is in.
    pub row_totals: Vec<u32>,
    /// Records in each column, each once however many rows it is in.
    pub column_totals: Vec<u32>,
    /// Records in the table, each once.
    pub total: u32,
    /// The largest cell, for the scale (0 when the table is empty).
    pub max_cell: u32,
    /// Records with no row or no column to go to (a partnership naming no region, an event
    /// whose date does not read): not drawn, but said.
    pub left_out: u32,
}

impl<R: Ord + Clone, C: Ord + Clone> ChartTable<R, C> {
    /// Counts `placed` (each record's rows and columns) into `rows` × `columns`; a place
    /// outside them is ignored, a record without a row or a column is left out.
    fn count<I>(rows: Vec<R>, columns: Vec<C>, placed: I) -> ChartTable<R, C>
    where
        I: IntoIterator<Item = (BTreeSet<R>, BTreeSet<C>)>,
    {
        let row_index: BTreeMap<R, usize> = rows
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, r)| (r, i))
            .collect();
        let column_index: BTreeMap<C, usize> = columns
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, c)| (c, i))
            .collect();
        let mut table = ChartTable {
            cells: vec![vec![0; columns.len()]; rows.len()],
            row_totals: vec![0; rows.len()],
            column_totals: vec![0; columns.len()],
            rows,
            columns,
            total: 0,
            max_cell: 0,
            left_out: 0,
        };
        for (in_rows, in_columns) in placed {
            let r: Vec<usize> = in_rows
                .iter()
                .filter_map(|x| row_index.get(x))
                .copied()
                .collect();
            let c: Vec<usize> = in_columns
                .iter()
                .filter_map(|x| column_index.get(x))
                .copied()
                .collect();
            if r.is_empty() || c.is_empty() {
                table.left_out += 1;
                continue;
            }
            table.total += 1;
            r.iter().for_each(|&i| table.row_totals[i] += 1);
            c.iter().for_each(|&j| table.column_totals[j] += 1);
            for &i in &r {
                for &j in &c {
                    table.cells[i][j] += 1;
                    table.max_cell = table.max_cell.max(table.cells[i][j]);
                }
            }
        }
        table
    }
}

/// A calendar month, written `2005-11` by [`Month::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Month {
    pub year: i32,
    pub month: u8,
}

impl Month {
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    fn next(self) -> Month {
        match self.month {
            12 => Month {
                year: self.year + 1,
                month: 1,
            },
            m => Month {
                year: self.year,
                month: m + 1,
            },
        }
    }
}

/// Past this many steps an axis shows only the years or months that have something: a record
/// never validated (a year 1 beside 2005) must not make a table of two thousand rows.
const MAX_FILLED_AXIS: usize = 240;

/// Every step from the first to the last, so a chart's axis has no hidden gap.
fn span<T: Copy + Ord>(present: BTreeSet<T>, next: impl Fn(T) -> T) -> Vec<T> {
    let (Some(&first), Some(&last)) = (present.first(), present.last()) else {
        return Vec::new();
    };
    let mut all = vec![first];
    while let Some(&at) = all.last().filter(|&&at| at < last) {
        if all.len() == MAX_FILLED_AXIS {
            return present.into_iter().collect();
        }
        all.push(next(at));
    }
    all
}

/// A partnership's year: the year it enters into force, else the year it was last confirmed
/// (in UTC), when an agreement not yet signed was last said to be current.
pub fn partnership_year(record: &Record) -> i32 {
    record
        .partnership
        .as_ref()
        .and_then(|p| iso_date(p.in_force_on.as_deref()?))
        .map_or_else(|| last_confirmed_year(record), |d| d.year())
}

/// A resource's year: when it happens or happened (an event's start, a partnership's entry
/// into force, a document's year), else the year it was last confirmed (in UTC).
pub fn resource_year(record: &Record) -> i32 {
    let own = match (&record.event, &record.document) {
        (Some(e), _) => iso_date(&e.starts_on).map(|d| d.year()),
        (_, Some(d)) => d.year,
        _ => None,
    };
    match own {
        Some(year) => year,
        None if record.partnership.is_some() => partnership_year(record),
        None => last_confirmed_year(record),
    }
}

fn last_confirmed_year(record: &Record) -> i32 {
    record
        .last_confirmed()
        .to_offset(time::UtcOffset::UTC)
        .year()
}

fn by_year<C: Ord + Clone>(columns: Vec<C>, placed: Vec<(i32, BTreeSet<C>)>) -> ChartTable<i32, C> {
    // Only drawn records make rows: a year of left-out records alone is no bar.
    let drawn = placed.iter().filter(|(_, c)| !c.is_empty());
    let years = span(drawn.map(|(y, _)| *y).collect(), |y| y + 1);
    let placed = placed.into_iter().map(|(y, c)| (BTreeSet::from([y]), c));
    ChartTable::count(years, columns, placed)
}

fn partnerships(community: &Community) -> impl Iterator<Item = &Record> {
    community
        .records()
        .filter(|r| r.kind == Kind::Partnership && r.partnership.is_some())
}

/// Partnerships per year (rows, [`partnership_year`]) by beneficiary region (every region).
pub fn partnerships_by_region(community: &Community) -> ChartTable<i32, Region> {
    let placed = partnerships(community)
        .map(|r| {
            let regions = r
                .partnership
                .as_ref()
                .map(|p| p.beneficiary_regions.clone());
            (partnership_year(r), regions.into_iter().flatten().collect())
        })
        .collect();
    by_year(Region::ALL.to_vec(), placed)
}

/// Partnerships per year (rows, [`partnership_year`]) by domain of activity (every domain).
pub fn partnerships_by_domain(community: &Community) -> ChartTable<i32, Domain> {
    let placed = partnerships(community)
        .map(|r| {
            let domains = r.partnership.as_ref().map(|p| p.domains.clone());
            (partnership_year(r), domains.into_iter().flatten().collect())
        })
        .collect();
    by_year(Domain::ALL.to_vec(), placed)
}

/// Resources of every kind per year (rows, [`resource_year`]) by their author's region.
pub fn resources_by_region(community: &Community) -> ChartTable<i32, Region> {
    let placed = community
        .records()
        .filter_map(|r| {
            let author = community.author(&r.author)?;
            Some((resource_year(r), BTreeSet::from([author.region])))
        })
        .collect();
    by_year(Region::ALL.to_vec(), placed)
}

/// Resources per action line (rows: every line, catalogue order; a resource under each line
/// its topics reach) by their author's stakeholder group.
pub fn resources_by_line_and_group(
    community: &Community,
    catalogue: &Catalogue,
) -> ChartTable<String, StakeholderGroup> {
    let lines: Vec<String> = catalogue.roots().map(|t| t.id.clone()).collect();
    let placed = community.records().filter_map(|r| {
        let author = community.author(&r.author)?;
        let reached = r
            .topics
            .iter()
            .filter_map(|t| catalogue.action_line(t))
            .map(|l| l.id.clone());
        Some((
            reached.collect(),
            BTreeSet::from([author.stakeholder_group]),
        ))
    });
    ChartTable::count(lines, StakeholderGroup::ALL.to_vec(), placed)
}

/// Events per month of their start (rows, every month from the first to the last) by format
/// (columns: the formats present, `EventFormat::ALL` order, then `None` for "not said"). An
/// event whose start date does not read is left out.
pub fn events_by_month(community: &Community) -> ChartTable<Month, Option<EventFormat>> {
    let placed: Vec<(Option<Month>, Option<EventFormat>)> = community
        .records()
        .filter(|r| r.kind == Kind::Event)
        .filter_map(|r| r.event.as_ref())
        .map(|event| {
            let month = iso_date(&event.starts_on).map(|d| Month {
                year: d.year(),
                month: u8::from(d.month()),
            });
            (month, event.format)
        })
        .collect();
    let present: BTreeSet<Option<EventFormat>> = placed
        .iter()
        .filter(|(m, _)| m.is_some())
        .map(|(_, f)| *f)
        .collect();
    let columns: Vec<Option<EventFormat>> = EventFormat::ALL
        .into_iter()
        .map(Some)
        .chain([None])
        .filter(|f| present.contains(f))
        .collect();
    let months = span(placed.iter().filter_map(|(m, _)| *m).collect(), Month::next);
    let placed = placed
        .into_iter()
        .map(|(m, f)| (m.into_iter().collect(), BTreeSet::from([f])));
    ChartTable::count(months, columns, placed)
}

/// Every chart of a view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Charts {
    pub partnerships_by_region: ChartTable<i32, Region>,
    pub partnerships_by_domain: ChartTable<i32, Domain>,
    pub resources_by_region: ChartTable<i32, Region>,
    pub resources_by_line_and_group: ChartTable<String, StakeholderGroup>,
    pub events_by_month: ChartTable<Month, Option<EventFormat>>,
}

pub fn charts(community: &Community, catalogue: &Catalogue) -> Charts {
    Charts {
        partnerships_by_region: partnerships_by_region(community),
        partnerships_by_domain: partnerships_by_domain(community),
        resources_by_region: resources_by_region(community),
        resources_by_line_and_group: resources_by_line_and_group(community, catalogue),
        events_by_month: events_by_month(community),
    }
}
