//! [`Model`]: a validated snapshot with dense, integer-indexed views for the checker and solvers.

use super::validate::validate;
use super::{
    is_year_end, national_holidays, FieldError, Holiday, Id, Limits, LoadError, Qualification,
    ShiftKind, Snapshot,
};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Timelike, Weekday};
use std::collections::{HashMap, HashSet};

/// Minutes in a day.
pub const MINUTES_PER_DAY: i32 = 24 * 60;

/// A small bit set of interned qualifications.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct QualSet([u64; 2]);

impl QualSet {
    /// How many distinct qualification codes a model may hold.
    pub const CAPACITY: usize = 128;

    /// Adds qualification number `q`.
    pub fn insert(&mut self, q: usize) {
        if q < Self::CAPACITY {
            self.0[q / 64] |= 1 << (q % 64);
        }
    }

    /// Whether qualification number `q` is in the set.
    pub fn contains(&self, q: usize) -> bool {
        q < Self::CAPACITY && self.0[q / 64] & (1 << (q % 64)) != 0
    }

    /// Whether the two sets share a qualification.
    pub fn intersects(&self, other: &QualSet) -> bool {
        self.0[0] & other.0[0] != 0 || self.0[1] & other.0[1] != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0 == [0, 0]
    }
}

/// One day of the horizon.
#[derive(Clone, Debug)]
pub struct DayInfo {
    /// The date.
    pub date: NaiveDate,
    /// Its weekday.
    pub weekday: Weekday,
    /// A national holiday.
    pub holiday: bool,
    /// In the year-end closure (and the calendar applies one).
    pub year_end: bool,
    /// Index of its calendar month, counted from the horizon's first month.
    pub month: u32,
    /// Fiscal year (April–March) it belongs to, named by the year it starts in.
    pub fiscal_year: i32,
}

/// A shift type in minutes.
#[derive(Clone, Copy, Debug)]
pub struct ShiftInfo {
    /// Start, minutes after midnight.
    pub start: i32,
    /// Start to end, in minutes.
    pub span: i32,
    /// Paid minutes (span less break).
    pub paid: i32,
    /// Kind, for accommodations.
    pub kind: ShiftKind,
}

/// One roster entry in minutes from the horizon's first midnight.
#[derive(Clone, Copy, Debug)]
pub struct Work {
    /// Staff index.
    pub staff: u32,
    /// Day index.
    pub day: u32,
    /// Unit index.
    pub unit: u32,
    /// Shift type index.
    pub shift: u32,
    /// Start of the shift.
    pub start: i32,
    /// End of the shift.
    pub shift_end: i32,
    /// End of work, overtime included.
    pub end: i32,
    /// Planned overtime minutes.
    pub overtime: u32,
    /// Index of the entry in `snapshot.roster`.
    pub entry: u32,
}

/// A leave entry in minutes: `[start, end)`, clipped to the horizon.
#[derive(Clone, Copy, Debug)]
pub struct LeaveSpan {
    /// Staff index.
    pub staff: u32,
    /// First day index covered.
    pub first_day: u32,
    /// Last day index covered.
    pub last_day: u32,
    /// For hourly leave, the minutes from the horizon's first midnight; none for whole days.
    pub hours: Option<(i32, i32)>,
    /// Index of the entry in `snapshot.leave`.
    pub entry: u32,
}

/// One demand line in indexes.
#[derive(Clone, Copy, Debug)]
pub struct DemandLine {
    /// Unit index.
    pub unit: u32,
    /// Day index.
    pub day: u32,
    /// Shift type index, if the line is for one shift.
    pub shift: Option<u32>,
    /// Qualification index, if the line counts one qualification.
    pub qualification: Option<u32>,
    /// Minimum staff.
    pub min: u32,
    /// Index of the line in `snapshot.demand`.
    pub entry: u32,
}

/// A snapshot that passed validation, with dense indexes. Build it with [`Model::new`].
#[derive(Clone, Debug)]
pub struct Model {
    /// The snapshot as given (holidays filled in when it had none).
    pub snapshot: Snapshot,
    /// One entry per day of the horizon.
    pub days: Vec<DayInfo>,
    /// The calendar months the horizon touches, as (year, month).
    pub months: Vec<(i32, u32)>,
    /// Per shift type (same order as `snapshot.shift_types`).
    pub shifts: Vec<ShiftInfo>,
    /// Interned qualification codes.
    pub qualifications: Vec<Qualification>,
    /// Per staff member: qualifications held.
    pub staff_qualifications: Vec<QualSet>,
    /// Per staff member: posted to a high-load unit.
    pub staff_high_load: Vec<bool>,
    /// Per staff member: home department index.
    pub staff_department: Vec<u32>,
    /// Per unit: section index.
    pub unit_section: Vec<u32>,
    /// Per unit: department index.
    pub unit_department: Vec<u32>,
    /// Per unit: qualifications of which workers must hold one (empty: none required).
    pub unit_required: Vec<QualSet>,
    /// Per unit and day (`unit * days + day`): open.
    pub unit_open: Vec<bool>,
    /// Roster entries, sorted by staff, then start.
    pub work: Vec<Work>,
    /// `work[staff_work[s]..staff_work[s + 1]]` is staff member `s`'s work.
    pub staff_work: Vec<u32>,
    /// Indexes into `work`, sorted by unit and day.
    pub unit_day_work: Vec<u32>,
    /// `unit_day_work[unit_day_offsets[u * days + d]..unit_day_offsets[u * days + d + 1]]`.
    pub unit_day_offsets: Vec<u32>,
    /// Leave, sorted by staff, then first day.
    pub leave: Vec<LeaveSpan>,
    /// `leave[staff_leave[s]..staff_leave[s + 1]]` is staff member `s`'s leave.
    pub staff_leave: Vec<u32>,
    /// Demand lines, in snapshot order.
    pub demand: Vec<DemandLine>,
    staff_ix: HashMap<Id, u32>,
    unit_ix: HashMap<Id, u32>,
    shift_ix: HashMap<Id, u32>,
    qualification_ix: HashMap<Qualification, u32>,
}

impl Model {
    /// Validates a snapshot with the default [`Limits`] and builds its indexes.
    pub fn new(snapshot: Snapshot) -> Result<Model, LoadError> {
        Model::with_limits(snapshot, &Limits::default())
    }

    /// Validates a snapshot against `limits` and builds its indexes.
    pub fn with_limits(mut snapshot: Snapshot, limits: &Limits) -> Result<Model, LoadError> {
        let errors = validate(&snapshot, limits);
        if !errors.is_empty() {
            return Err(LoadError::Invalid(errors));
        }
        if snapshot.calendar.holidays.is_none() {
            let cal = &snapshot.calendar;
            snapshot.calendar.holidays = Some(national_holidays(cal.start, cal.end));
        }
        Model::index(snapshot).map_err(|e| LoadError::Invalid(vec![e]))
    }

    fn index(snapshot: Snapshot) -> Result<Model, FieldError> {
        let s = &snapshot;
        let cal = &s.calendar;
        let holidays: HashSet<NaiveDate> = s
            .calendar
            .holidays
            .iter()
            .flatten()
            .map(|h: &Holiday| h.date)
            .collect();
        let first_month = cal.start.year() * 12 + cal.start.month0() as i32;
        let days: Vec<DayInfo> = cal
            .start
            .iter_days()
            .take(cal.days())
            .map(|date| DayInfo {
                date,
                weekday: date.weekday(),
                holiday: holidays.contains(&date),
                year_end: cal.year_end_closure && is_year_end(date),
                month: (date.year() * 12 + date.month0() as i32 - first_month) as u32,
                fiscal_year: if date.month() >= 4 {
                    date.year()
                } else {
                    date.year() - 1
                },
            })
            .collect();
        let mut months: Vec<(i32, u32)> = days
            .iter()
            .map(|d| (d.date.year(), d.date.month()))
            .collect();
        months.dedup();
        let n_days = days.len();

        let ix = |ids: &mut dyn Iterator<Item = &Id>| -> HashMap<Id, u32> {
            ids.enumerate()
                .map(|(i, id)| (id.clone(), i as u32))
                .collect()
        };
        let org = &s.organisation;
        let department_ix = ix(&mut org.departments.iter().map(|d| &d.id));
        let section_ix = ix(&mut org.sections.iter().map(|d| &d.id));
        let unit_ix = ix(&mut org.units.iter().map(|d| &d.id));
        let staff_ix = ix(&mut s.staff.iter().map(|d| &d.id));
        let shift_ix = ix(&mut s.shift_types.iter().map(|d| &d.id));
        let missing = |path: String| FieldError {
            path,
            reason: "refers to an unknown id".into(),
        };

        let mut qualifications: Vec<Qualification> = Vec::new();
        let mut qualification_ix: HashMap<Qualification, u32> = HashMap::new();
        let mut intern = |q: &Qualification| -> usize {
            *qualification_ix.entry(q.clone()).or_insert_with(|| {
                qualifications.push(q.clone());
                (qualifications.len() - 1) as u32
            }) as usize
        };
        let staff_qualifications: Vec<QualSet> = s
            .staff
            .iter()
            .map(|st| {
                let mut set = QualSet::default();
                st.qualifications.iter().for_each(|q| set.insert(intern(q)));
                set
            })
            .collect();
        let unit_required: Vec<QualSet> = org
            .units
            .iter()
            .map(|u| {
                let mut set = QualSet::default();
                u.required_qualifications
                    .iter()
                    .for_each(|q| set.insert(intern(q)));
                set
            })
            .collect();
        let demand_quals: Vec<Option<u32>> = s
            .demand
            .iter()
            .map(|d| d.qualification.as_ref().map(|q| intern(q) as u32))
            .collect();

        let section_department: Vec<u32> = org
            .sections
            .iter()
            .enumerate()
            .map(|(i, sec)| {
                department_ix
                    .get(&sec.department)
                    .copied()
                    .ok_or_else(|| missing(format!("organisation.sections[{i}].department")))
            })
            .collect::<Result<_, _>>()?;
        let unit_section: Vec<u32> = org
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                section_ix
                    .get(&u.section)
                    .copied()
                    .ok_or_else(|| missing(format!("organisation.units[{i}].section")))
            })
            .collect::<Result<_, _>>()?;
        let unit_department: Vec<u32> = unit_section
            .iter()
            .map(|&sec| section_department[sec as usize])
            .collect();
        let staff_unit: Vec<u32> = s
            .staff
            .iter()
            .enumerate()
            .map(|(i, st)| {
                unit_ix
                    .get(&st.unit)
                    .copied()
                    .ok_or_else(|| missing(format!("staff[{i}].unit")))
            })
            .collect::<Result<_, _>>()?;
        let staff_high_load = staff_unit
            .iter()
            .map(|&u| org.units[u as usize].high_load)
            .collect();
        let staff_department = staff_unit
            .iter()
            .map(|&u| unit_department[u as usize])
            .collect();

        let mut unit_open = Vec::with_capacity(org.units.len() * n_days);
        for u in &org.units {
            unit_open.extend(
                days.iter()
                    .map(|d| u.opening.is_open(d.date, &holidays, cal.year_end_closure)),
            );
        }

        let shifts: Vec<ShiftInfo> = s
            .shift_types
            .iter()
            .map(|t| ShiftInfo {
                start: t.start_minute() as i32,
                span: t.span_minutes() as i32,
                paid: t.paid_minutes() as i32,
                kind: t.kind,
            })
            .collect();

        let day_of = |date: NaiveDate| (date - cal.start).num_days();
        let mut work: Vec<Work> = Vec::with_capacity(s.roster.len());
        for (i, a) in s.roster.iter().enumerate() {
            let p = |f: &str| missing(format!("roster[{i}].{f}"));
            let staff = *staff_ix.get(&a.staff).ok_or_else(|| p("staff"))?;
            let unit = *unit_ix.get(&a.unit).ok_or_else(|| p("unit"))?;
            let shift = *shift_ix.get(&a.shift).ok_or_else(|| p("shift"))?;
            let day = day_of(a.date);
            let info = shifts[shift as usize];
            let start = day as i32 * MINUTES_PER_DAY + info.start;
            let shift_end = start + info.span;
            work.push(Work {
                staff,
                day: day as u32,
                unit,
                shift,
                start,
                shift_end,
                end: shift_end + a.overtime_minutes as i32,
                overtime: a.overtime_minutes,
                entry: i as u32,
            });
        }
        work.sort_unstable_by_key(|w| (w.staff, w.start, w.entry));
        let staff_work = offsets(work.iter().map(|w| w.staff as usize), s.staff.len());

        let n_units = org.units.len();
        let mut unit_day_work: Vec<u32> = (0..work.len() as u32).collect();
        unit_day_work.sort_unstable_by_key(|&i| {
            let w = &work[i as usize];
            (w.unit, w.day, w.staff)
        });
        let unit_day_offsets = offsets(
            unit_day_work.iter().map(|&i| {
                let w = &work[i as usize];
                w.unit as usize * n_days + w.day as usize
            }),
            n_units * n_days,
        );

        let last_day = n_days as i64 - 1;
        let mut leave: Vec<LeaveSpan> = Vec::with_capacity(s.leave.len());
        for (i, l) in s.leave.iter().enumerate() {
            let staff = *staff_ix
                .get(&l.staff)
                .ok_or_else(|| missing(format!("leave[{i}].staff")))?;
            let first = day_of(l.from).clamp(0, last_day);
            let last = day_of(l.to).clamp(0, last_day);
            let hours = l.hours.as_ref().map(|h| {
                let base = first as i32 * MINUTES_PER_DAY;
                (base + minute_of_day(h.start), base + minute_of_day(h.end))
            });
            leave.push(LeaveSpan {
                staff,
                first_day: first as u32,
                last_day: last as u32,
                hours,
                entry: i as u32,
            });
        }
        leave.sort_unstable_by_key(|l| (l.staff, l.first_day, l.hours.map(|h| h.0), l.entry));
        let staff_leave = offsets(leave.iter().map(|l| l.staff as usize), s.staff.len());

        let mut demand = Vec::with_capacity(s.demand.len());
        for (i, d) in s.demand.iter().enumerate() {
            let unit = *unit_ix
                .get(&d.unit)
                .ok_or_else(|| missing(format!("demand[{i}].unit")))?;
            let shift = match &d.shift {
                Some(sh) => Some(
                    *shift_ix
                        .get(sh)
                        .ok_or_else(|| missing(format!("demand[{i}].shift")))?,
                ),
                None => None,
            };
            demand.push(DemandLine {
                unit,
                day: day_of(d.date) as u32,
                shift,
                qualification: demand_quals[i],
                min: d.min,
                entry: i as u32,
            });
        }

        Ok(Model {
            days,
            months,
            shifts,
            qualifications,
            staff_qualifications,
            staff_high_load,
            staff_department,
            unit_section,
            unit_department,
            unit_required,
            unit_open,
            work,
            staff_work,
            unit_day_work,
            unit_day_offsets,
            leave,
            staff_leave,
            demand,
            staff_ix,
            unit_ix,
            shift_ix,
            qualification_ix,
            snapshot,
        })
    }

    /// Number of days in the horizon.
    pub fn n_days(&self) -> usize {
        self.days.len()
    }

    /// Staff member `s`'s work, in order of start.
    pub fn work_of(&self, s: usize) -> &[Work] {
        &self.work[self.staff_work[s] as usize..self.staff_work[s + 1] as usize]
    }

    /// Staff member `s`'s leave, in order of first day.
    pub fn leave_of(&self, s: usize) -> &[LeaveSpan] {
        &self.leave[self.staff_leave[s] as usize..self.staff_leave[s + 1] as usize]
    }

    /// Work in unit `u` on day `d`, as indexes into `work`.
    pub fn work_in(&self, u: usize, d: usize) -> &[u32] {
        let k = u * self.days.len() + d;
        &self.unit_day_work
            [self.unit_day_offsets[k] as usize..self.unit_day_offsets[k + 1] as usize]
    }

    /// Whether unit `u` is open on day `d`.
    pub fn is_open(&self, u: usize, d: usize) -> bool {
        self.unit_open[u * self.days.len() + d]
    }

    /// Index of a staff member by id.
    pub fn staff_index(&self, id: &Id) -> Option<usize> {
        self.staff_ix.get(id).map(|&i| i as usize)
    }

    /// Index of a unit by id.
    pub fn unit_index(&self, id: &Id) -> Option<usize> {
        self.unit_ix.get(id).map(|&i| i as usize)
    }

    /// Index of a shift type by id.
    pub fn shift_index(&self, id: &Id) -> Option<usize> {
        self.shift_ix.get(id).map(|&i| i as usize)
    }

    /// Index of a qualification code, if any staff, unit or demand line uses it.
    pub fn qualification_index(&self, q: &Qualification) -> Option<usize> {
        self.qualification_ix.get(q).map(|&i| i as usize)
    }

    /// The local date and time of a minute offset from the horizon's first midnight.
    pub fn datetime(&self, minute: i32) -> NaiveDateTime {
        let start = self
            .snapshot
            .calendar
            .start
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default();
        start + chrono::Duration::minutes(minute as i64)
    }

    /// The date of day index `d` (past the horizon's end if `d` is).
    pub fn date(&self, d: usize) -> NaiveDate {
        self.days.get(d).map(|x| x.date).unwrap_or_else(|| {
            self.snapshot
                .calendar
                .start
                .checked_add_days(Days::new(d as u64))
                .unwrap_or(NaiveDate::MAX)
        })
    }
}

/// Start offsets of each key's run in a sequence sorted by key, `n + 1` entries.
fn offsets(sorted_keys: impl Iterator<Item = usize>, n: usize) -> Vec<u32> {
    let mut counts = vec![0u32; n + 1];
    for k in sorted_keys {
        counts[k + 1] += 1;
    }
    for i in 0..n {
        counts[i + 1] += counts[i];
    }
    counts
}

fn minute_of_day(t: chrono::NaiveTime) -> i32 {
    (t.hour() * 60 + t.minute()) as i32
}
