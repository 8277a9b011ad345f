//! Validation of a snapshot: every problem, each with its JSON path and a reason.

use super::{Id, Snapshot};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// One problem in the input: where (a JSON path such as `staff[41].history[2].to`) and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON path of the offending field.
    pub path: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// Why a snapshot could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The text is not JSON, or a field has the wrong type or an unknown value.
    #[error("{path}: {reason} (line {line}, column {column})")]
    Json {
        /// JSON path of the field being read.
        path: String,
        /// Line in the text.
        line: usize,
        /// Column in the text.
        column: usize,
        /// The parser's message.
        reason: String,
    },
    /// The snapshot parsed but is inconsistent; every problem found is listed.
    #[error("{} problem(s) in the snapshot; first: {}", .0.len(), .0.first().map(|e| e.to_string()).unwrap_or_default())]
    Invalid(Vec<FieldError>),
}

impl LoadError {
    /// Every problem as a field error (a JSON error is one).
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            LoadError::Json {
                path,
                line,
                column,
                reason,
            } => vec![FieldError {
                path: if path.is_empty() || path == "." {
                    "$".into()
                } else {
                    path.clone()
                },
                reason: format!("{reason} (line {line}, column {column})"),
            }],
            LoadError::Invalid(errors) => errors.clone(),
        }
    }
}

/// Sizes beyond which a snapshot is refused as absurd rather than processed for hours.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most staff members.
    pub max_staff: usize,
    /// Most units.
    pub max_units: usize,
    /// Most roster entries.
    pub max_roster: usize,
    /// Most demand lines.
    pub max_demand: usize,
    /// Most leave entries.
    pub max_leave: usize,
    /// Longest horizon, in days.
    pub max_horizon_days: usize,
    /// Most distinct qualification codes.
    pub max_qualifications: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_staff: 500_000,
            max_units: 100_000,
            max_roster: 100_000_000,
            max_demand: 50_000_000,
            max_leave: 10_000_000,
            max_horizon_days: 3 * 366,
            max_qualifications: super::QualSet::CAPACITY,
        }
    }
}

const MAX_ID_LEN: usize = 64;
const MINUTES_IN_WEEK: u32 = 7 * 24 * 60;
/// Longest leave accepted: childcare leave runs up to three years.
const MAX_LEAVE_DAYS: i64 = 5 * 366;

struct Collector {
    errors: Vec<FieldError>,
}

impl Collector {
    fn push(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.into(),
            reason: reason.into(),
        });
    }

    /// Records an id in `seen`, reporting an empty, over-long or repeated id.
    fn id<'a>(&mut self, seen: &mut HashMap<&'a Id, String>, id: &'a Id, path: String) {
        if id.as_str().trim().is_empty() {
            self.push(path.clone(), "id is empty");
        } else if id.as_str().len() > MAX_ID_LEN {
            self.push(
                path.clone(),
                format!("id is longer than {MAX_ID_LEN} bytes"),
            );
        }
        if let Some(first) = seen.get(id) {
            self.push(path, format!("duplicate id {id:?}, first used at {first}"));
        } else {
            seen.insert(id, path);
        }
    }

    /// Reports an id missing from `set`; the path is only built when it is.
    fn known(
        &mut self,
        set: &HashMap<&Id, String>,
        id: &Id,
        what: &str,
        path: impl FnOnce() -> String,
    ) {
        if !set.contains_key(id) {
            self.push(path(), format!("unknown {what} {id:?}"));
        }
    }
}

/// The path of the `i`-th item of a top-level list, formatted only when a problem is reported.
#[derive(Clone, Copy)]
struct At(&'static str, usize);

impl From<At> for String {
    fn from(at: At) -> String {
        at.to_string()
    }
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

/// Checks a snapshot for every inconsistency; returns all problems found.
pub fn validate(s: &Snapshot, limits: &Limits) -> Vec<FieldError> {
    let mut c = Collector { errors: Vec::new() };

    // Sizes first: an absurd snapshot is refused before any per-item work.
    let sizes = [
        ("staff", s.staff.len(), limits.max_staff),
        (
            "organisation.units",
            s.organisation.units.len(),
            limits.max_units,
        ),
        ("roster", s.roster.len(), limits.max_roster),
        ("demand", s.demand.len(), limits.max_demand),
        ("leave", s.leave.len(), limits.max_leave),
    ];
    for (path, n, max) in sizes {
        if n > max {
            c.push(path, format!("{n} entries, more than the limit of {max}"));
        }
    }
    let cal = &s.calendar;
    let horizon_days = (cal.end - cal.start).num_days() + 1;
    if cal.end < cal.start {
        c.push(
            "calendar.end",
            format!("{} is before calendar.start {}", cal.end, cal.start),
        );
    } else if horizon_days as usize > limits.max_horizon_days {
        c.push(
            "calendar.end",
            format!(
                "horizon of {horizon_days} days, more than the limit of {}",
                limits.max_horizon_days
            ),
        );
    }
    if !c.errors.is_empty() {
        return c.errors;
    }
    let in_horizon = |d: NaiveDate| d >= cal.start && d <= cal.end;
    let horizon = format!("outside the horizon {} – {}", cal.start, cal.end);

    if let Some(holidays) = &cal.holidays {
        let mut dates = HashSet::new();
        for (i, h) in holidays.iter().enumerate() {
            if !in_horizon(h.date) {
                c.push(
                    format!("calendar.holidays[{i}].date"),
                    format!("{} is {horizon}", h.date),
                );
            }
            if !dates.insert(h.date) {
                c.push(
                    format!("calendar.holidays[{i}].date"),
                    format!("{} is listed twice", h.date),
                );
            }
        }
    }

    // Shift types.
    let mut shifts = HashMap::new();
    for (i, t) in s.shift_types.iter().enumerate() {
        c.id(&mut shifts, &t.id, format!("shift_types[{i}].id"));
        if t.start == t.end {
            c.push(
                format!("shift_types[{i}].end"),
                "equal to start: a zero-length or 24-hour shift is ambiguous",
            );
        } else if t.break_minutes >= t.span_minutes() {
            c.push(
                format!("shift_types[{i}].break_minutes"),
                format!(
                    "{} min break is not shorter than the {} min shift",
                    t.break_minutes,
                    t.span_minutes()
                ),
            );
        }
    }

    // Organisation.
    let org = &s.organisation;
    let mut departments = HashMap::new();
    for (i, d) in org.departments.iter().enumerate() {
        c.id(
            &mut departments,
            &d.id,
            format!("organisation.departments[{i}].id"),
        );
    }
    let mut sections = HashMap::new();
    for (i, sec) in org.sections.iter().enumerate() {
        c.id(
            &mut sections,
            &sec.id,
            format!("organisation.sections[{i}].id"),
        );
        c.known(&departments, &sec.department, "department", || {
            format!("organisation.sections[{i}].department")
        });
    }
    let mut units = HashMap::new();
    let mut unit_shifts: HashMap<&Id, HashSet<&Id>> = HashMap::new();
    for (i, u) in org.units.iter().enumerate() {
        let p = format!("organisation.units[{i}]");
        c.id(&mut units, &u.id, format!("{p}.id"));
        c.known(&sections, &u.section, "section", || format!("{p}.section"));
        if u.categories.is_empty() {
            c.push(
                format!("{p}.categories"),
                "a unit needs at least one workplace category",
            );
        }
        if u.shifts.is_empty() {
            c.push(
                format!("{p}.shifts"),
                "a unit needs at least one shift type",
            );
        }
        for (j, sh) in u.shifts.iter().enumerate() {
            c.known(&shifts, sh, "shift type", || format!("{p}.shifts[{j}]"));
        }
        unit_shifts.insert(&u.id, u.shifts.iter().collect());
        let mut weekdays = HashSet::new();
        for (j, w) in u.opening.weekdays.iter().enumerate() {
            if !weekdays.insert(*w) {
                c.push(
                    format!("{p}.opening.weekdays[{j}]"),
                    format!("{w} is listed twice"),
                );
            }
        }
        for (j, q) in u.quota.iter().enumerate() {
            if q.count > 10_000 {
                c.push(
                    format!("{p}.quota[{j}].count"),
                    format!("{} is absurd for one unit", q.count),
                );
            }
        }
    }

    // Staff.
    let mut staff = HashMap::new();
    for (i, st) in s.staff.iter().enumerate() {
        let p = format!("staff[{i}]");
        c.id(&mut staff, &st.id, format!("{p}.id"));
        c.known(&units, &st.unit, "unit", || format!("{p}.unit"));
        if st.birth_date >= st.hire_date {
            c.push(
                format!("{p}.birth_date"),
                format!("{} is not before hire_date {}", st.birth_date, st.hire_date),
            );
        } else if st.hire_date.year() - st.birth_date.year() < 15 {
            c.push(format!("{p}.hire_date"), "hired before the age of 15");
        }
        let mut previous_end: Option<Option<NaiveDate>> = None;
        for (j, h) in st.history.iter().enumerate() {
            let hp = format!("{p}.history[{j}]");
            c.known(&units, &h.unit, "unit", || format!("{hp}.unit"));
            if let Some(to) = h.to {
                if to < h.from {
                    c.push(
                        format!("{hp}.to"),
                        format!("{to} is before from {}", h.from),
                    );
                }
            }
            match previous_end {
                Some(None) => c.push(
                    format!("{hp}.from"),
                    "the previous posting is open-ended; only the last may be",
                ),
                Some(Some(prev)) if h.from <= prev => c.push(
                    format!("{hp}.from"),
                    format!(
                        "{} overlaps the previous posting, which ends {prev}",
                        h.from
                    ),
                ),
                _ => {}
            }
            previous_end = Some(h.to);
        }
        let mut quals = HashSet::new();
        for (j, q) in st.qualifications.iter().enumerate() {
            if q.as_str().trim().is_empty() {
                c.push(
                    format!("{p}.qualifications[{j}]"),
                    "empty qualification code",
                );
            }
            if !quals.insert(q) {
                c.push(
                    format!("{p}.qualifications[{j}]"),
                    format!("{q} is listed twice"),
                );
            }
        }
        if st.contract.weekly_minutes == 0 || st.contract.weekly_minutes > MINUTES_IN_WEEK {
            c.push(
                format!("{p}.contract.weekly_minutes"),
                format!("{} is not a possible week", st.contract.weekly_minutes),
            );
        }
        if let Some(sh) = &st.contract.short_hours {
            if sh.max_daily_minutes == 0 || sh.max_daily_minutes > 24 * 60 {
                c.push(
                    format!("{p}.contract.short_hours.max_daily_minutes"),
                    format!("{} is not a possible day", sh.max_daily_minutes),
                );
            }
        }
        for (j, u) in st.accommodations.allowed_units.iter().enumerate() {
            c.known(&units, u, "unit", || {
                format!("{p}.accommodations.allowed_units[{j}]")
            });
        }
        for (j, u) in st.wishes.units.iter().enumerate() {
            c.known(&units, u, "unit", || format!("{p}.wishes.units[{j}]"));
        }
    }

    // Distinct qualification codes must fit the checker's bit sets.
    let mut codes: HashSet<&str> = s
        .staff
        .iter()
        .flat_map(|st| st.qualifications.iter().map(|q| q.as_str()))
        .collect();
    codes.extend(
        s.demand
            .iter()
            .filter_map(|d| d.qualification.as_ref().map(|q| q.as_str())),
    );
    codes.extend(
        org.units
            .iter()
            .flat_map(|u| u.required_qualifications.iter().map(|q| q.as_str())),
    );
    if codes.len() > limits.max_qualifications {
        c.push(
            "staff",
            format!(
                "{} distinct qualification codes, more than the limit of {}",
                codes.len(),
                limits.max_qualifications
            ),
        );
    }

    // Rules.
    let r = &s.rules;
    if r.rest_interval_minutes > 48 * 60 {
        c.push(
            "rules.rest_interval_minutes",
            format!("{} is more than 48 h", r.rest_interval_minutes),
        );
    }
    if r.max_consecutive_work_days == 0 {
        c.push("rules.max_consecutive_work_days", "must be at least 1");
    }
    let hl = &r.high_load_overtime;
    if hl.average_window_min_months == 0
        || hl.average_window_min_months > hl.average_window_max_months
    {
        c.push(
            "rules.high_load_overtime.average_window_min_months",
            "must be at least 1 and at most average_window_max_months",
        );
    }
    if hl.average_window_max_months > 12 {
        c.push(
            "rules.high_load_overtime.average_window_max_months",
            "must be at most 12",
        );
    }

    // Calendar-dependent checks need the unit's opening days.
    let holiday_dates: HashSet<NaiveDate> = match &cal.holidays {
        Some(h) => h.iter().map(|h| h.date).collect(),
        None => super::national_holidays(cal.start, cal.end)
            .into_iter()
            .map(|h| h.date)
            .collect(),
    };
    let unit_by_id: HashMap<&Id, &super::Unit> = org.units.iter().map(|u| (&u.id, u)).collect();

    // Demand.
    let staff_count = s.staff.len() as u32;
    let mut holders_of: HashMap<&super::Qualification, u32> = HashMap::new();
    for st in &s.staff {
        for q in &st.qualifications {
            *holders_of.entry(q).or_default() += 1;
        }
    }
    let mut demand_keys = HashMap::new();
    for (i, d) in s.demand.iter().enumerate() {
        let p = At("demand", i);
        c.known(&units, &d.unit, "unit", || format!("{p}.unit"));
        if !in_horizon(d.date) {
            c.push(format!("{p}.date"), format!("{} is {horizon}", d.date));
        }
        if let Some(sh) = &d.shift {
            if !shifts.contains_key(sh) {
                c.push(format!("{p}.shift"), format!("unknown shift type {sh:?}"));
            } else if unit_shifts
                .get(&d.unit)
                .is_some_and(|set| !set.contains(sh))
            {
                c.push(
                    format!("{p}.shift"),
                    format!("unit {} does not run shift {sh}", d.unit),
                );
            }
        }
        if d.min > staff_count {
            c.push(
                format!("{p}.min"),
                format!(
                    "{} is impossible: the snapshot has {staff_count} staff",
                    d.min
                ),
            );
        } else if let Some(q) = &d.qualification {
            let holders = holders_of.get(q).copied().unwrap_or(0);
            if d.min > holders {
                c.push(
                    format!("{p}.min"),
                    format!("{} is impossible: only {holders} staff hold {q}", d.min),
                );
            }
        }
        if let Some(u) = unit_by_id.get(&d.unit) {
            if in_horizon(d.date)
                && !u
                    .opening
                    .is_open(d.date, &holiday_dates, cal.year_end_closure)
                && d.min > 0
            {
                c.push(
                    format!("{p}.date"),
                    format!("unit {} is closed on {}", d.unit, d.date),
                );
            }
        }
        if let Some(first) = demand_keys.insert((&d.unit, d.date, &d.shift, &d.qualification), i) {
            c.push(
                p,
                format!("same unit, date, shift and qualification as demand[{first}]"),
            );
        }
    }

    // Leave.
    let mut leave_ids = HashMap::new();
    let mut by_staff: HashMap<&Id, Vec<usize>> = HashMap::new();
    for (i, l) in s.leave.iter().enumerate() {
        let p = At("leave", i);
        c.id(&mut leave_ids, &l.id, format!("{p}.id"));
        c.known(&staff, &l.staff, "staff member", || format!("{p}.staff"));
        if l.to < l.from {
            c.push(
                format!("{p}.to"),
                format!("{} is before from {}", l.to, l.from),
            );
            continue;
        }
        if (l.to - l.from).num_days() > MAX_LEAVE_DAYS {
            c.push(
                format!("{p}.to"),
                format!("leave of more than {MAX_LEAVE_DAYS} days"),
            );
        }
        if l.to < cal.start || l.from > cal.end {
            c.push(
                format!("{p}.from"),
                format!("{} – {} is {horizon}", l.from, l.to),
            );
        }
        if let Some(h) = &l.hours {
            if l.from != l.to {
                c.push(
                    format!("{p}.hours"),
                    "hourly leave must start and end on the same day",
                );
            }
            if h.end <= h.start {
                c.push(
                    format!("{p}.hours.end"),
                    format!("{} is not after start {}", h.end, h.start),
                );
            }
        }
        by_staff.entry(&l.staff).or_default().push(i);
    }
    let mut overlapping: Vec<(usize, usize)> = Vec::new();
    for list in by_staff.values_mut() {
        list.sort_by_key(|&i| (s.leave[i].from, s.leave[i].hours.as_ref().map(|h| h.start)));
        for w in list.windows(2) {
            let (a, b) = (&s.leave[w[0]], &s.leave[w[1]]);
            let dates_overlap = b.from <= a.to;
            let times_overlap = match (&a.hours, &b.hours) {
                (Some(x), Some(y)) => y.start < x.end,
                _ => true,
            };
            if dates_overlap && times_overlap {
                overlapping.push((w[0], w[1]));
            }
        }
    }
    overlapping.sort_unstable();
    for (a, b) in overlapping {
        c.push(
            format!("leave[{b}]"),
            format!("overlaps leave[{a}] of the same staff member"),
        );
    }

    // Roster.
    let shift_span: HashMap<&Id, u32> = s
        .shift_types
        .iter()
        .map(|t| (&t.id, t.span_minutes()))
        .collect();
    let mut entries = HashMap::new();
    for (i, a) in s.roster.iter().enumerate() {
        let p = At("roster", i);
        c.known(&staff, &a.staff, "staff member", || format!("{p}.staff"));
        c.known(&units, &a.unit, "unit", || format!("{p}.unit"));
        if !in_horizon(a.date) {
            c.push(format!("{p}.date"), format!("{} is {horizon}", a.date));
        }
        match shift_span.get(&a.shift) {
            None => c.push(
                format!("{p}.shift"),
                format!("unknown shift type {:?}", a.shift),
            ),
            Some(span) => {
                if unit_shifts
                    .get(&a.unit)
                    .is_some_and(|set| !set.contains(&a.shift))
                {
                    c.push(
                        format!("{p}.shift"),
                        format!("unit {} does not run shift {}", a.unit, a.shift),
                    );
                }
                if span + a.overtime_minutes > 24 * 60 {
                    c.push(
                        format!("{p}.overtime_minutes"),
                        format!(
                            "{} min overtime on a {span} min shift makes a working day over 24 h",
                            a.overtime_minutes
                        ),
                    );
                }
            }
        }
        if let Some(first) = entries.insert((&a.staff, a.date, &a.shift), i) {
            c.push(
                p,
                format!("repeats roster[{first}] (same staff member, date and shift)"),
            );
        }
    }
    c.errors
}
