//! The Curtois–Qu staff-scheduling benchmark (schedulingbenchmarks.org, "Instance1 … Instance24"):
//! its text format read into a [`ShiftProblem`], and a solved roster written in the benchmark's
//! roster layout. The rules map one to one onto the general model: `MaxShifts` to per-type maxima
//! (0 = not qualified), `CannotFollow` to forbidden successions, days off to unavailable days,
//! weekends as Saturday–Sunday pairs from day 0 = Monday, requests and cover with their weights.

pub mod generate;

use crate::solve::problem::{
    Assignment, Cover, Request, RequestKind, ShiftProblem, ShiftType, StaffLimits,
};
use std::collections::HashMap;
use std::fmt::Write as _;

/// A line of an instance file that cannot be read: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurtoisError {
    /// 1-based line number (0 for the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for CurtoisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A problem of the whole file (a missing section) has no line to point at.
        match self.line {
            0 => write!(f, "{}", self.reason),
            line => write!(f, "line {line}: {}", self.reason),
        }
    }
}

impl std::error::Error for CurtoisError {}

fn error(line: usize, reason: impl Into<String>) -> CurtoisError {
    CurtoisError {
        line,
        reason: reason.into(),
    }
}

const SECTIONS: [&str; 7] = [
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
];

/// Reads an instance. Every problem found is reported, each with its line.
pub fn parse(text: &str) -> Result<ShiftProblem, Vec<CurtoisError>> {
    let mut errors = Vec::new();
    let mut blocks: HashMap<&str, Vec<(usize, Vec<&str>)>> = HashMap::new();
    let mut section: Option<&str> = None;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with("SECTION_") {
            match SECTIONS.iter().find(|&&s| s == line) {
                Some(&s) if blocks.contains_key(s) => {
                    errors.push(error(line_no, format!("{s} appears twice")))
                }
                Some(&s) => {
                    blocks.insert(s, Vec::new());
                    section = Some(s);
                }
                None => errors.push(error(line_no, format!("unknown section {line}"))),
            }
            continue;
        }
        match section.and_then(|s| blocks.get_mut(s)) {
            Some(rows) => rows.push((line_no, line.split(',').map(str::trim).collect())),
            None => errors.push(error(line_no, "data before any SECTION_ line")),
        }
    }
    for s in SECTIONS {
        if !blocks.contains_key(s) {
            errors.push(error(0, format!("missing {s}")));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let rows = |s: &str| blocks.get(s).map(Vec::as_slice).unwrap_or_default();

    let days = match rows("SECTION_HORIZON") {
        [(line, fields)] => number::<usize>(*line, fields, 0, "horizon", &mut errors).unwrap_or(0),
        other => {
            errors.push(error(
                other.first().map_or(0, |r| r.0),
                "SECTION_HORIZON needs exactly one line",
            ));
            0
        }
    };
    if days > crate::solve::problem::MAX_DAYS {
        errors.push(error(0, format!("a horizon of {days} days is too long")));
        return Err(errors);
    }

    let mut shift_index: HashMap<&str, usize> = HashMap::new();
    let mut shifts = Vec::new();
    for (line, fields) in rows("SECTION_SHIFTS") {
        if fields.len() != 3 {
            errors.push(error(
                *line,
                "a shift line is ShiftID, LengthMinutes, CannotFollow",
            ));
            continue;
        }
        if shift_index.insert(fields[0], shifts.len()).is_some() {
            errors.push(error(*line, format!("duplicate shift {}", fields[0])));
        }
        let minutes = number::<u32>(*line, fields, 1, "shift length", &mut errors).unwrap_or(0);
        shifts.push(ShiftType {
            id: fields[0].to_string(),
            minutes,
            cannot_follow: Vec::new(),
        });
    }
    for (k, (line, fields)) in rows("SECTION_SHIFTS").iter().enumerate() {
        if let (Some(list), Some(shift)) = (fields.get(2), shifts.get_mut(k)) {
            for id in list.split('|').filter(|s| !s.is_empty()) {
                match shift_index.get(id) {
                    Some(&t) => shift.cannot_follow.push(t),
                    None => errors.push(error(
                        *line,
                        format!("CannotFollow names unknown shift {id}"),
                    )),
                }
            }
        }
    }

    let mut staff_index: HashMap<&str, usize> = HashMap::new();
    let mut staff = Vec::new();
    for (line, fields) in rows("SECTION_STAFF") {
        if fields.len() != 8 {
            errors.push(error(*line, "a staff line has 8 fields (ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends)"));
            continue;
        }
        if staff_index.insert(fields[0], staff.len()).is_some() {
            errors.push(error(*line, format!("duplicate staff {}", fields[0])));
        }
        // A shift type the line does not mention may be worked without limit.
        let mut max_shifts = vec![days as u32; shifts.len()];
        for pair in fields[1].split('|').filter(|s| !s.is_empty()) {
            let Some((id, limit)) = pair.split_once('=') else {
                errors.push(error(
                    *line,
                    format!("MaxShifts entry {pair:?} is not ShiftID=limit"),
                ));
                continue;
            };
            match (shift_index.get(id), limit.parse::<u32>()) {
                (Some(&t), Ok(limit)) => max_shifts[t] = limit,
                (None, _) => {
                    errors.push(error(*line, format!("MaxShifts names unknown shift {id}")))
                }
                (_, Err(_)) => errors.push(error(
                    *line,
                    format!("MaxShifts limit {limit:?} is not a number"),
                )),
            }
        }
        let mut field =
            |k: usize, name: &str| number::<u32>(*line, fields, k, name, &mut errors).unwrap_or(0);
        staff.push(StaffLimits {
            id: fields[0].to_string(),
            max_shifts,
            max_minutes: field(2, "MaxTotalMinutes"),
            min_minutes: field(3, "MinTotalMinutes"),
            max_consecutive_work: field(4, "MaxConsecutiveShifts"),
            min_consecutive_work: field(5, "MinConsecutiveShifts"),
            min_consecutive_off: field(6, "MinConsecutiveDaysOff"),
            max_weekends: field(7, "MaxWeekends"),
            unavailable: Vec::new(),
            forbidden: Vec::new(),
            forbidden_pairs: Vec::new(),
            fixed: Vec::new(),
        });
    }

    let day_of = |line: usize, text: &str, errors: &mut Vec<CurtoisError>| -> Option<usize> {
        match text.parse::<usize>() {
            Ok(d) if d < days => Some(d),
            Ok(d) => {
                errors.push(error(
                    line,
                    format!("day {d} is outside the horizon of {days} days"),
                ));
                None
            }
            Err(_) => {
                errors.push(error(line, format!("day {text:?} is not a number")));
                None
            }
        }
    };
    for (line, fields) in rows("SECTION_DAYS_OFF") {
        let Some(&i) = staff_index.get(fields[0]) else {
            errors.push(error(*line, format!("unknown staff {}", fields[0])));
            continue;
        };
        for text in fields[1..].iter().filter(|s| !s.is_empty()) {
            if let Some(d) = day_of(*line, text, &mut errors) {
                staff[i].unavailable.push(d);
            }
        }
    }

    let mut requests = Vec::new();
    for (section, kind) in [
        ("SECTION_SHIFT_ON_REQUESTS", RequestKind::On),
        ("SECTION_SHIFT_OFF_REQUESTS", RequestKind::Off),
    ] {
        for (line, fields) in rows(section) {
            if fields.len() != 4 {
                errors.push(error(
                    *line,
                    "a request line is EmployeeID, Day, ShiftID, Weight",
                ));
                continue;
            }
            let who = staff_index.get(fields[0]).copied();
            let shift = shift_index.get(fields[2]).copied();
            if who.is_none() {
                errors.push(error(*line, format!("unknown staff {}", fields[0])));
            }
            if shift.is_none() {
                errors.push(error(*line, format!("unknown shift {}", fields[2])));
            }
            let day = day_of(*line, fields[1], &mut errors);
            let weight = number::<i64>(*line, fields, 3, "weight", &mut errors);
            if let (Some(staff), Some(day), Some(shift), Some(weight)) = (who, day, shift, weight) {
                requests.push(Request {
                    staff,
                    day,
                    shift,
                    weight,
                    kind,
                });
            }
        }
    }

    let mut cover = Vec::new();
    for (line, fields) in rows("SECTION_COVER") {
        if fields.len() != 5 {
            errors.push(error(
                *line,
                "a cover line is Day, ShiftID, Requirement, WeightForUnder, WeightForOver",
            ));
            continue;
        }
        let shift = shift_index.get(fields[1]).copied();
        if shift.is_none() {
            errors.push(error(*line, format!("unknown shift {}", fields[1])));
        }
        let day = day_of(*line, fields[0], &mut errors);
        let requirement = number::<u32>(*line, fields, 2, "requirement", &mut errors);
        let under_weight = number::<i64>(*line, fields, 3, "under weight", &mut errors);
        let over_weight = number::<i64>(*line, fields, 4, "over weight", &mut errors);
        if let (Some(day), Some(shift), Some(requirement), Some(under_weight), Some(over_weight)) =
            (day, shift, requirement, under_weight, over_weight)
        {
            cover.push(Cover {
                day,
                shifts: vec![shift],
                eligible: None,
                requirement,
                under_weight,
                over_weight,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let weekends = (0..days / 7).map(|w| vec![7 * w + 5, 7 * w + 6]).collect();
    let problem = ShiftProblem {
        days,
        weekends,
        shifts,
        staff,
        requests,
        cover,
        changes: None,
    };
    problem.validate().map_err(|problems| {
        problems
            .into_iter()
            .map(|p| error(0, p.to_string()))
            .collect::<Vec<_>>()
    })?;
    Ok(problem)
}

fn number<T: std::str::FromStr>(
    line: usize,
    fields: &[&str],
    k: usize,
    name: &str,
    errors: &mut Vec<CurtoisError>,
) -> Option<T> {
    match fields.get(k).map(|s| s.parse::<T>()) {
        Some(Ok(v)) => Some(v),
        Some(Err(_)) => {
            errors.push(error(
                line,
                format!("{name} {:?} is not a valid number", fields[k]),
            ));
            None
        }
        None => {
            errors.push(error(line, format!("{name} is missing")));
            None
        }
    }
}

/// Writes a roster in the benchmark's layout: a comment header, then per employee, in the
/// instance's order, the id and one token per day (a shift id, or `-` for a day off).
pub fn write_roster(problem: &ShiftProblem, roster: &Assignment, header: &[String]) -> String {
    let mut out = String::new();
    for line in header {
        let _ = writeln!(out, "# {line}");
    }
    for (person, row) in problem.staff.iter().zip(&roster.cells) {
        out.push_str(&person.id);
        for cell in row {
            out.push(' ');
            match cell.and_then(|t| problem.shifts.get(t)) {
                Some(shift) => out.push_str(&shift.id),
                None => out.push('-'),
            }
        }
        out.push('\n');
    }
    out
}

/// Best-known (proven optimal) penalties of instances 1–12, from the benchmark's published table.
pub const BEST_KNOWN: [(u32, i64); 12] = [
    (1, 607),
    (2, 828),
    (3, 1001),
    (4, 1716),
    (5, 1143),
    (6, 1950),
    (7, 1056),
    (8, 1300),
    (9, 439),
    (10, 4631),
    (11, 3443),
    (12, 4040),
];
