//! Human-readable reports for the command line.

use crate::model::{Model, Snapshot};
use crate::rules::{fmt_minutes, CheckReport, Measure, RuleId, Violation};
use crate::solve::cover::CoverPlan;
use crate::solve::problem::Evaluation;
use crate::solve::recommend::{Absence, Recommendation};
use crate::solve::roster::RosterFigures;
use crate::solve::search::{SolveStatus, Solved};
use std::collections::BTreeMap;
use std::fmt::Write;

/// How many violations of each rule the text report lists in full.
const LISTED_PER_RULE: usize = 5;

/// A text summary of a check: totals by rule and by department, then the worst cases of each rule.
pub fn check_text(model: &Model, report: &CheckReport) -> String {
    check_text_for(&model.snapshot, report)
}

/// [`check_text`] from the snapshot alone, for a report computed elsewhere (`check --server`).
pub fn check_text_for(s: &Snapshot, report: &CheckReport) -> String {
    let mut out = String::new();
    let cal = &s.calendar;
    let _ = writeln!(
        out,
        "Checked {} staff, {} roster entries, {} demand lines over {} – {} ({} days).",
        s.staff.len(),
        s.roster.len(),
        s.demand.len(),
        cal.start,
        cal.end,
        cal.days()
    );
    if report.is_clean() {
        let _ = writeln!(out, "No violations.");
        return out;
    }
    let _ = writeln!(
        out,
        "{} violation(s), {} staff member(s) affected.\n\nBy rule:",
        report.summary.total, report.summary.staff_affected
    );
    for rule in RuleId::ALL {
        if let Some(n) = report.summary.by_rule.get(rule.name()) {
            let _ = writeln!(out, "  {:<30} {n:>6}", rule.name());
        }
    }
    let _ = writeln!(out, "\nBy department:");
    for d in &s.organisation.departments {
        if let Some(n) = report.summary.by_department.get(d.id.as_str()) {
            let _ = writeln!(out, "  {:<6} {} {n:>6}", d.id, padded(&d.name, 24));
        }
    }
    let _ = writeln!(out, "\nWorst cases:");
    let mut by_rule: BTreeMap<RuleId, Vec<&Violation>> = BTreeMap::new();
    for v in &report.violations {
        by_rule.entry(v.rule).or_default().push(v);
    }
    for (rule, mut list) in by_rule {
        list.sort_by(|a, b| {
            severity(b)
                .total_cmp(&severity(a))
                .then_with(|| a.date.cmp(&b.date))
        });
        let _ = writeln!(out, "  {}:", rule.name());
        for v in list.iter().take(LISTED_PER_RULE) {
            let _ = writeln!(out, "    {}", line(v));
        }
        if list.len() > LISTED_PER_RULE {
            let _ = writeln!(out, "    … and {} more", list.len() - LISTED_PER_RULE);
        }
    }
    out
}

/// One violation on one line: date, who or where, and why.
pub fn line(v: &Violation) -> String {
    let who = match (&v.staff, &v.unit) {
        (Some(s), Some(u)) => format!("{s} in {u}"),
        (Some(s), None) => s.to_string(),
        (None, Some(u)) => u.to_string(),
        (None, None) => String::new(),
    };
    let numbers = match v.measure {
        Measure::Minutes => format!(
            "{} vs limit {}",
            fmt_minutes(v.measured),
            fmt_minutes(v.limit)
        ),
        Measure::Days => format!("{} vs limit {} day(s)", v.measured, v.limit),
        Measure::Staff => format!("{} vs {} staff", v.measured, v.limit),
        Measure::Months => format!("{} vs limit {} month(s)", v.measured, v.limit),
    };
    format!("{} {:<18} {} [{}]", v.date, who, v.message, numbers)
}

/// How far past its limit a violation is, for ranking the worst cases.
fn severity(v: &Violation) -> f64 {
    match v.rule {
        // Minimums: the further below, the worse.
        RuleId::RestInterval | RuleId::Coverage => {
            (v.limit - v.measured) as f64 / v.limit.max(1) as f64
        }
        _ => (v.measured - v.limit) as f64 / v.limit.max(1) as f64,
    }
}

/// A text answer to a recommendation: the vacancy, the ranked candidates with their cost by term,
/// and why the others were left out.
pub fn recommend_text(absence: &Absence, answer: &Recommendation) -> String {
    let v = &answer.vacancy;
    let mut out = format!(
        "{} is absent on {}: shift {} in {} ({} – {}) is open.\n",
        absence.staff,
        absence.date,
        v.shift,
        v.unit,
        v.start.format("%H:%M"),
        if v.end.date() == v.start.date() {
            v.end.format("%H:%M")
        } else {
            v.end.format("%H:%M the next day")
        }
    );
    if answer.candidates.is_empty() {
        out += "Nobody can cover it without breaking a rule.\n";
    } else {
        let _ = writeln!(
            out,
            "{} lawful candidate(s); the best {}:\n  rank staff      cost  distance extra  load headroom  why",
            answer.lawful,
            answer.candidates.len()
        );
        for c in &answer.candidates {
            let b = &c.breakdown;
            let _ = writeln!(
                out,
                "  {:>4} {:<10} {:>5} {:>9} {:>5} {:>5} {:>8}  {}",
                c.rank,
                c.staff,
                c.cost,
                b.distance,
                b.extra_work,
                b.load,
                b.headroom,
                c.explanation
            );
        }
    }
    let excluded: Vec<String> = answer
        .excluded
        .iter()
        .map(|(why, n)| format!("{why} {n}"))
        .collect();
    let _ = writeln!(out, "Left out: {}.", excluded.join(", "));
    out
}

/// The summary of a roster solve: the penalty by term, the bound, the gap and the time.
pub fn roster_summary(name: &str, solved: &Solved) -> String {
    solve_lines(
        name,
        &solved.evaluation,
        solved.bound,
        solved.gap(),
        solved.status,
        solved.elapsed.as_secs_f64(),
        solved.iterations,
    )
}

/// The penalty by term, then bound, gap, status, time and steps.
fn solve_lines(
    name: &str,
    e: &Evaluation,
    bound: Option<i64>,
    gap: Option<f64>,
    status: SolveStatus,
    seconds: f64,
    iterations: u64,
) -> String {
    let bound = bound.map_or("none".to_string(), |b| b.to_string());
    let gap = gap.map_or("unknown".to_string(), |g| format!("{:.2} %", g * 100.0));
    format!(
        "{name}: penalty {} (under-cover {}, over-cover {}, shift-on requests {}, shift-off requests {})\n\
         bound {bound}, gap {gap}, status {}, {seconds:.1} s, {iterations} improvement steps\n",
        e.total(),
        e.under_cover,
        e.over_cover,
        e.on_requests,
        e.off_requests,
        status_name(status),
    )
}

/// The summary of a facility roster: the solve, the facility's size, today's score and the
/// checker's verdict on the result (the first ten violations listed).
pub fn facility_text(f: &RosterFigures) -> String {
    let mut out = solve_lines(
        f.unit.as_str(),
        &f.terms,
        f.bound,
        f.gap,
        f.status,
        f.seconds,
        f.iterations,
    );
    let _ = writeln!(
        out,
        "{} staff, {} shift types, {} days re-rostered; the current roster scores {} by the same terms",
        f.staff.len(),
        f.shift_types,
        f.days,
        f.penalty_before
    );
    let _ = writeln!(
        out,
        "checker on the result, for this unit and its staff: {} ({} already published)",
        count(f.violations.len(), "violation"),
        f.already_published
    );
    for v in f.violations.iter().take(10) {
        let _ = writeln!(out, "  {}", line(v));
    }
    out
}

/// The summaries of facilities rostered together, and their sum when there are several.
pub fn facilities_text(facilities: &[RosterFigures]) -> String {
    let mut out: String = facilities.iter().map(facility_text).collect();
    if facilities.len() > 1 {
        let _ = writeln!(
            out,
            "{} facilities: penalty {} (today {}), {} violations for their units and staff",
            facilities.len(),
            facilities.iter().map(|f| f.terms.total()).sum::<i64>(),
            facilities.iter().map(|f| f.penalty_before).sum::<i64>(),
            facilities.iter().map(|f| f.violations.len()).sum::<usize>()
        );
    }
    out
}

/// The summaries of facilities rostered together as JSON: each facility and the sums.
pub fn facilities_json(facilities: &[RosterFigures]) -> serde_json::Value {
    serde_json::json!({
        "facilities": facilities.iter().map(facility_json).collect::<Vec<_>>(),
        "penalty": facilities.iter().map(|f| f.terms.total()).sum::<i64>(),
        "penalty_before": facilities.iter().map(|f| f.penalty_before).sum::<i64>(),
        "violations": facilities.iter().map(|f| f.violations.len()).sum::<usize>(),
    })
}

/// The summary of a facility roster as JSON (every violation, in the checker's form).
pub fn facility_json(f: &RosterFigures) -> serde_json::Value {
    serde_json::json!({
        "unit": f.unit,
        "penalty": f.terms.total(),
        "terms": {
            "under_cover": f.terms.under_cover,
            "over_cover": f.terms.over_cover,
            "on_requests": f.terms.on_requests,
            "off_requests": f.terms.off_requests,
        },
        "penalty_before": f.penalty_before,
        "bound": f.bound,
        "gap": f.gap,
        "status": f.status,
        "seconds": f.seconds,
        "iterations": f.iterations,
        "staff": f.staff.len(),
        "shift_types": f.shift_types,
        "days": f.days,
        "entries": f.entries.len(),
        "violations": f.violations,
        "violations_already_published": f.already_published,
    })
}

/// `text` padded with spaces to `columns` terminal columns (wide characters count two).
fn padded(text: &str, columns: usize) -> String {
    let width = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(columns.saturating_sub(width)))
}

/// `n` things, in the singular for one.
fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

/// A solve status in words.
pub fn status_name(status: SolveStatus) -> &'static str {
    match status {
        SolveStatus::Optimal => "optimal",
        SolveStatus::GapReached => "gap reached",
        SolveStatus::TimeLimit => "time limit",
        SolveStatus::IterationLimit => "iteration limit",
        SolveStatus::Cancelled => "cancelled",
    }
}

/// The summary of a roster solve as JSON.
pub fn roster_json(name: &str, solved: &Solved) -> serde_json::Value {
    serde_json::json!({
        "instance": name,
        "penalty": solved.evaluation.total(),
        "terms": {
            "under_cover": solved.evaluation.under_cover,
            "over_cover": solved.evaluation.over_cover,
            "on_requests": solved.evaluation.on_requests,
            "off_requests": solved.evaluation.off_requests,
        },
        "bound": solved.bound,
        "gap": solved.gap(),
        "status": solved.status,
        "seconds": solved.elapsed.as_secs_f64(),
        "iterations": solved.iterations,
    })
}

/// A cover plan for people: the changes, what stays uncovered and why, and the ledger.
pub fn cover_text(plan: &CoverPlan) -> String {
    let mut out = String::new();
    let bound = plan.bound.map_or("none".to_string(), |b| b.to_string());
    let gap = plan
        .gap
        .map_or("unknown".to_string(), |g| format!("{:.2} %", g * 100.0));
    let _ = writeln!(
        out,
        "cover: {} vacant shift(s), {} candidates; {} change(s), {} line(s) uncovered",
        plan.vacancies,
        plan.candidates,
        plan.changes.iter().filter(|c| c.to.is_some()).count(),
        plan.uncovered.len()
    );
    let _ = writeln!(
        out,
        "points {} (uncovered {}, over-staffing {}, changes {}); bound {bound}, gap {gap}{}; {:.2} s",
        plan.penalty,
        plan.uncovered_points,
        plan.over_points,
        plan.change_points,
        if plan.proven { ", proven" } else { "" },
        plan.seconds
    );
    let post = |p: &Option<crate::solve::cover::Post>| {
        p.as_ref()
            .map_or("off".to_string(), |p| format!("{} {}", p.unit, p.shift))
    };
    if !plan.changes.is_empty() {
        let _ = writeln!(out, "\nchanges:");
        for c in &plan.changes {
            let _ = writeln!(
                out,
                "  {} {:<8} {} -> {}  ({})",
                c.date,
                c.staff,
                post(&c.from),
                post(&c.to),
                c.reason
            );
        }
    }
    if !plan.uncovered.is_empty() {
        let _ = writeln!(out, "\nuncovered:");
        for u in &plan.uncovered {
            let what = match (&u.shift, &u.qualification) {
                (Some(s), Some(q)) => format!("{s}, {q}"),
                (Some(s), None) => s.to_string(),
                (None, Some(q)) => q.clone(),
                (None, None) => "the day".to_string(),
            };
            let _ = writeln!(
                out,
                "  {} {} {what}: {} short; {}",
                u.date, u.unit, u.short, u.reason
            );
        }
    }
    if !plan.ledger.is_empty() {
        let _ = writeln!(
            out,
            "\ncover ledger (shifts covered: this plan / this year before it):"
        );
        for l in &plan.ledger {
            let _ = writeln!(out, "  {:<8} {} / {}", l.staff, l.in_plan, l.year_to_date);
        }
    }
    out
}

/// The changes of a cover plan as CSV, one per line, with a header.
pub fn cover_csv(plan: &CoverPlan) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "date",
        "staff",
        "from_unit",
        "from_shift",
        "to_unit",
        "to_shift",
        "distance",
        "reason",
    ])?;
    for c in &plan.changes {
        let (fu, fs) = c
            .from
            .as_ref()
            .map_or(("", ""), |p| (p.unit.as_str(), p.shift.as_str()));
        let (tu, ts) =
            c.to.as_ref()
                .map_or(("", ""), |p| (p.unit.as_str(), p.shift.as_str()));
        let distance = c.distance.map(|d| format!("{d:?}")).unwrap_or_default();
        writer.write_record([
            c.date.to_string().as_str(),
            c.staff.as_str(),
            fu,
            fs,
            tu,
            ts,
            &distance,
            &c.reason,
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
