//! 時間外勤務の上限 — overtime caps.
//!
//! Meaning: overtime minutes are summed per calendar month (by the day the shift starts) and per
//! fiscal year (April–March). Ordinary staff: at most 45 h a month and 360 h a year. Staff posted
//! to a high-load unit (他律的業務): at most 100 h a month and 720 h a year, an average of at most
//! 80 h over every window of 2–6 consecutive months (one violation per month that ends an
//! offending window, naming the worst window), and at most 6 months a year over 45 h.
//! Every number is in `rules.overtime` and `rules.high_load_overtime`.
//! Policy: 「長時間勤務の是正を図るため、管理職による適正な労務管理を徹底」 and the caps of 人事院規則 15-14.

use super::{fmt_minutes, Measure, RuleId, Violation};
use crate::model::{Model, Work};
use chrono::{Months, NaiveDate};

pub(super) fn check(model: &Model, s: usize, work: &[Work], out: &mut Vec<Violation>) {
    if work.iter().all(|w| w.overtime == 0) {
        return;
    }
    let rules = &model.snapshot.rules;
    let mut monthly = vec![0i64; model.months.len()];
    for w in work {
        monthly[model.days[w.day as usize].month as usize] += w.overtime as i64;
    }
    let high_load = model.staff_high_load[s];
    let (month_cap, year_cap) = if high_load {
        (
            rules.high_load_overtime.monthly_minutes,
            rules.high_load_overtime.yearly_minutes,
        )
    } else {
        (
            rules.overtime.monthly_minutes,
            rules.overtime.yearly_minutes,
        )
    };
    let (month_cap, year_cap) = (month_cap as i64, year_cap as i64);

    for (m, &minutes) in monthly.iter().enumerate() {
        if minutes > month_cap {
            let period = month_period(model, m);
            out.push(
                Violation::on_period(
                    model,
                    RuleId::OvertimeMonthly,
                    s,
                    period,
                    minutes,
                    month_cap,
                    Measure::Minutes,
                )
                .because(format!(
                    "{} overtime in {}, above the monthly cap of {}",
                    fmt_minutes(minutes),
                    period.0.format("%Y-%m"),
                    fmt_minutes(month_cap)
                )),
            );
        }
    }

    // Fiscal years: consecutive months sharing a fiscal year.
    let fiscal_year = |m: usize| {
        let (y, mo) = model.months[m];
        if mo >= 4 {
            y
        } else {
            y - 1
        }
    };
    let mut m = 0;
    while m < monthly.len() {
        let fy = fiscal_year(m);
        let mut end = m;
        while end < monthly.len() && fiscal_year(end) == fy {
            end += 1;
        }
        let total: i64 = monthly[m..end].iter().sum();
        let period = (month_period(model, m).0, month_period(model, end - 1).1);
        if total > year_cap {
            out.push(
                Violation::on_period(
                    model,
                    RuleId::OvertimeYearly,
                    s,
                    period,
                    total,
                    year_cap,
                    Measure::Minutes,
                )
                .because(format!(
                    "{} overtime in fiscal year {fy}, above the yearly cap of {}",
                    fmt_minutes(total),
                    fmt_minutes(year_cap)
                )),
            );
        }
        if high_load {
            let ordinary = rules.overtime.monthly_minutes as i64;
            let over = monthly[m..end].iter().filter(|&&x| x > ordinary).count() as i64;
            let allowed = rules.high_load_overtime.max_months_over_ordinary_cap as i64;
            if over > allowed {
                out.push(
                    Violation::on_period(
                        model,
                        RuleId::OvertimeMonthsOverCap,
                        s,
                        period,
                        over,
                        allowed,
                        Measure::Months,
                    )
                    .because(format!(
                        "{over} months over {} in fiscal year {fy}; at most {allowed} are allowed",
                        fmt_minutes(ordinary)
                    )),
                );
            }
        }
        m = end;
    }

    if high_load {
        let hl = &rules.high_load_overtime;
        let cap = hl.average_minutes as i64;
        for end in 0..monthly.len() {
            // The window with the highest average among those that end here and break the cap.
            let mut worst: Option<(i64, i64)> = None; // (sum, months)
            for k in hl.average_window_min_months as usize..=hl.average_window_max_months as usize {
                if k > end + 1 {
                    break;
                }
                let sum: i64 = monthly[end + 1 - k..=end].iter().sum();
                let k = k as i64;
                if sum > cap * k && worst.is_none_or(|(ws, wk)| sum * wk > ws * k) {
                    worst = Some((sum, k));
                }
            }
            if let Some((sum, k)) = worst {
                let average = (sum + k - 1) / k;
                let period = (
                    month_period(model, end + 1 - k as usize).0,
                    month_period(model, end).1,
                );
                out.push(
                    Violation::on_period(
                        model,
                        RuleId::OvertimeMultiMonthAverage,
                        s,
                        period,
                        average,
                        cap,
                        Measure::Minutes,
                    )
                    .because(format!(
                        "average of {} a month over the {k} months {} – {}, above {}",
                        fmt_minutes(average),
                        period.0.format("%Y-%m"),
                        period.1.format("%Y-%m"),
                        fmt_minutes(cap)
                    )),
                );
            }
        }
    }
}

/// First and last day of month index `m` that lie in the horizon.
fn month_period(model: &Model, m: usize) -> (NaiveDate, NaiveDate) {
    let cal = &model.snapshot.calendar;
    let (y, mo) = model.months[m];
    let first = NaiveDate::from_ymd_opt(y, mo, 1).unwrap_or(cal.start);
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(cal.end);
    (first.max(cal.start), last.min(cal.end))
}
