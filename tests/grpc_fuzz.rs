//! No input panics the service's decoding or conversion, and conversion loses nothing.
//!
//! A planner's script may send anything: truncated bytes, a message from another API, dates typed
//! by hand, enum numbers from a newer client. Whatever arrives, decoding either fails cleanly or
//! yields a message; conversion either yields a snapshot or field errors with paths; the model's
//! validation does the same. And what the CLI sends is exactly what it read: model → proto →
//! model is the identity.

use proptest::prelude::*;
use prost::Message;
use rota::gen::{generate, GenConfig};
use rota::model::{Model, Snapshot};
use rota::rules::check;
use rota::service::convert::{
    report_from_proto, report_to_proto, snapshot_from_proto, snapshot_to_proto,
};
use rota::service::proto as pb;
use std::sync::OnceLock;

fn city() -> &'static Snapshot {
    static CITY: OnceLock<Snapshot> = OnceLock::new();
    CITY.get_or_init(|| {
        generate(&GenConfig {
            staff: 60,
            ..GenConfig::default()
        })
        .snapshot
    })
}

/// A small valid proto snapshot: the city cut down so each case runs fast.
fn small_proto() -> &'static pb::Snapshot {
    static SMALL: OnceLock<pb::Snapshot> = OnceLock::new();
    SMALL.get_or_init(|| {
        let mut s = snapshot_to_proto(city());
        s.roster.truncate(300);
        s.leave.truncate(30);
        s.demand.truncate(100);
        s
    })
}

/// Decodes, converts and validates whatever the bytes are, as the server would.
fn serve_bytes(bytes: &[u8]) {
    if let Ok(request) = pb::CheckRequest::decode(bytes) {
        if let Some(pb::check_request::Source::Snapshot(s)) = request.source {
            convert_and_validate(&s);
        }
    }
    if let Ok(request) = pb::PutSnapshotRequest::decode(bytes) {
        if let Some(s) = request.snapshot {
            convert_and_validate(&s);
        }
    }
    if let Ok(s) = pb::Snapshot::decode(bytes) {
        convert_and_validate(&s);
    }
    if let Ok(r) = pb::CheckReport::decode(bytes) {
        let _ = report_from_proto(&r);
    }
}

fn convert_and_validate(s: &pb::Snapshot) {
    match snapshot_from_proto(s, "snapshot.") {
        Ok(snapshot) => {
            if let Ok(model) = Model::new(snapshot) {
                let _ = check(&model);
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(e.path.starts_with("snapshot."), "{e}");
                assert!(!e.reason.is_empty());
            }
        }
    }
}

/// Strings a planner might type where a date or a time goes.
fn messy_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("2026-02-29".to_string()),
        Just("2024-02-29".to_string()),
        Just("+275760-09-13".to_string()),
        Just("24:00".to_string()),
        Just("23:59:60".to_string()),
        Just("08:30".to_string()),
        "[0-9:T+-]{0,24}",
        any::<String>(),
    ]
}

/// One way to damage a valid snapshot.
#[derive(Debug, Clone)]
enum Damage {
    Date(usize, String),
    Time(usize, String),
    Enum(usize, i32),
    Id(usize, String),
    Drop(usize),
    Number(usize, u32),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), messy_text()).prop_map(|(i, t)| Damage::Date(i, t)),
        (any::<usize>(), messy_text()).prop_map(|(i, t)| Damage::Time(i, t)),
        (any::<usize>(), any::<i32>()).prop_map(|(i, v)| Damage::Enum(i, v)),
        (any::<usize>(), any::<String>()).prop_map(|(i, t)| Damage::Id(i, t)),
        any::<usize>().prop_map(Damage::Drop),
        (any::<usize>(), any::<u32>()).prop_map(|(i, v)| Damage::Number(i, v)),
    ]
}

fn apply(s: &mut pb::Snapshot, d: &Damage) {
    let pick = |i: usize, n: usize| if n == 0 { None } else { Some(i % n) };
    match d {
        Damage::Date(i, t) => match i % 6 {
            0 => s.calendar.iter_mut().for_each(|c| c.start = t.clone()),
            1 => s.calendar.iter_mut().for_each(|c| c.end = t.clone()),
            2 => pick(*i, s.staff.len())
                .into_iter()
                .for_each(|k| s.staff[k].hire_date = t.clone()),
            3 => pick(*i, s.roster.len())
                .into_iter()
                .for_each(|k| s.roster[k].date = t.clone()),
            4 => pick(*i, s.leave.len())
                .into_iter()
                .for_each(|k| s.leave[k].to = t.clone()),
            _ => pick(*i, s.demand.len())
                .into_iter()
                .for_each(|k| s.demand[k].date = t.clone()),
        },
        Damage::Time(i, t) => match i % 3 {
            0 => pick(*i, s.shift_types.len())
                .into_iter()
                .for_each(|k| s.shift_types[k].end = t.clone()),
            1 => pick(*i, s.leave.len()).into_iter().for_each(|k| {
                s.leave[k].hours = Some(pb::TimeRange {
                    start: t.clone(),
                    end: "12:00".into(),
                })
            }),
            _ => {
                if let Some(r) = s.rules.as_mut() {
                    r.standard_day = Some(pb::StandardDay {
                        start: Some(t.clone()),
                        ..Default::default()
                    });
                }
            }
        },
        Damage::Enum(i, v) => match i % 5 {
            0 => pick(*i, s.staff.len())
                .into_iter()
                .for_each(|k| s.staff[k].grade = *v),
            1 => pick(*i, s.leave.len())
                .into_iter()
                .for_each(|k| s.leave[k].status = *v),
            2 => pick(*i, s.shift_types.len())
                .into_iter()
                .for_each(|k| s.shift_types[k].kind = *v),
            3 => {
                if let Some(r) = s.rules.as_mut() {
                    r.no_overtime_weekday = Some(*v);
                }
            }
            _ => {
                if let Some(o) = s.organisation.as_mut() {
                    if let Some(k) = pick(*i, o.units.len()) {
                        o.units[k].categories.push(*v);
                    }
                }
            }
        },
        Damage::Id(i, t) => match i % 3 {
            0 => pick(*i, s.staff.len())
                .into_iter()
                .for_each(|k| s.staff[k].unit = t.clone()),
            1 => pick(*i, s.roster.len())
                .into_iter()
                .for_each(|k| s.roster[k].shift = t.clone()),
            _ => pick(*i, s.staff.len())
                .into_iter()
                .for_each(|k| s.staff[k].id = t.clone()),
        },
        Damage::Drop(i) => match i % 4 {
            0 => s.calendar = None,
            1 => s.organisation = None,
            2 => pick(*i, s.staff.len())
                .into_iter()
                .for_each(|k| s.staff[k].contract = None),
            _ => {
                if let Some(o) = s.organisation.as_mut() {
                    if let Some(k) = pick(*i, o.units.len()) {
                        o.units[k].opening = None;
                    }
                }
            }
        },
        Damage::Number(i, v) => match i % 3 {
            0 => pick(*i, s.roster.len())
                .into_iter()
                .for_each(|k| s.roster[k].overtime_minutes = *v),
            1 => pick(*i, s.demand.len())
                .into_iter()
                .for_each(|k| s.demand[k].min = *v),
            _ => {
                if let Some(r) = s.rules.as_mut() {
                    r.max_consecutive_work_days = Some(*v);
                }
            }
        },
    }
}

/// Numbers a script might send where a budget, a gap or a weight goes.
fn messy_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MIN_POSITIVE),
        Just(1e300),
        -10.0..100_000.0f64,
    ]
}

/// The checks made of a Cover or Roster request before it is queued: never a panic, and a
/// refusal is INVALID_ARGUMENT with a path for every problem.
fn precheck_never_panics(result: Result<(), rota::service::ServiceError>) {
    match result {
        Ok(()) => {}
        Err(rota::service::ServiceError::InvalidArgument(errors)) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(!e.path.is_empty() && !e.reason.is_empty(), "{e}");
            }
        }
        Err(other) => panic!("a malformed request is INVALID_ARGUMENT, not {other:?}"),
    }
}

fn inline_state() -> &'static rota::service::State {
    static STATE: OnceLock<rota::service::State> = OnceLock::new();
    STATE.get_or_init(|| {
        rota::service::server::state(&rota::service::server::Config::default()).expect("state")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Roster requests with messy units, days, budgets, gaps, seeds and weights are answered
    /// before the queue, cleanly.
    #[test]
    fn messy_roster_requests_never_panic(
        units in proptest::collection::vec(messy_text(), 0..4),
        from in messy_text(),
        to in messy_text(),
        time_limit in messy_number(),
        gap in proptest::option::of(messy_number()),
        under in proptest::option::of(any::<i64>()),
        over in proptest::option::of(any::<i64>()),
        seed in any::<u64>(),
    ) {
        let request = pb::RosterRequest {
            source: Some(pb::roster_request::Source::Snapshot(pb::Snapshot::default())),
            units,
            from,
            to,
            time_limit_seconds: time_limit,
            relative_gap: gap,
            seed,
            max_iterations: None,
            weights: Some(pb::DemandWeights { under, over }),
        };
        precheck_never_panics(rota::service::roster::precheck(inline_state(), &request));
    }

    /// Cover requests likewise, absences, leave kinds and prices included.
    #[test]
    fn messy_cover_requests_never_panic(
        absences in proptest::collection::vec((messy_text(), messy_text(), messy_text(), any::<i32>()), 0..4),
        time_limit in messy_number(),
        gap in proptest::option::of(messy_number()),
        prices in proptest::collection::vec(proptest::option::of(any::<i64>()), 6),
    ) {
        let request = pb::CoverRequest {
            source: Some(pb::cover_request::Source::Snapshot(pb::Snapshot::default())),
            absences: absences
                .into_iter()
                .map(|(staff, from, to, kind)| pb::Absence { staff, from, to, kind })
                .collect(),
            time_limit_seconds: time_limit,
            relative_gap: gap,
            weights: Some(pb::CoverWeights {
                uncovered: prices[0],
                add: prices[1],
                day_off: prices[2],
                remove: prices[3],
                year_to_date: prices[4],
                load_step: prices[5],
            }),
        };
        precheck_never_panics(rota::service::cover::precheck(inline_state(), &request));
    }

    /// Arbitrary bytes: decoding fails cleanly or yields a message that converts cleanly.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        serve_bytes(&bytes);
    }

    /// A valid request's bytes, cut short or with bytes flipped.
    #[test]
    fn damaged_encodings_never_panic(cut in any::<usize>(), flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8)) {
        let mut bytes = pb::CheckRequest {
            source: Some(pb::check_request::Source::Snapshot(small_proto().clone())),
        }
        .encode_to_vec();
        let n = bytes.len();
        for (at, x) in flips {
            bytes[at % n] ^= x;
        }
        bytes.truncate(cut % (n + 1));
        serve_bytes(&bytes);
    }

    /// Hand-typed dates and times, unknown enum numbers, foreign ids, missing messages, extreme
    /// numbers: conversion and validation answer with field errors, never a panic.
    #[test]
    fn damaged_snapshots_never_panic(damages in proptest::collection::vec(damage(), 1..6)) {
        let mut s = small_proto().clone();
        for d in &damages {
            apply(&mut s, d);
        }
        convert_and_validate(&s);
    }
}

/// model → proto → bytes → proto → model is the identity on generated cities, and the checker's
/// report survives its own round trip: what the CLI sends and prints is what it read.
#[test]
fn round_trips_are_lossless() {
    for seed in [1, 2, 3] {
        let snapshot = generate(&GenConfig {
            staff: 60,
            seed,
            ..GenConfig::default()
        })
        .snapshot;
        let bytes = snapshot_to_proto(&snapshot).encode_to_vec();
        let decoded = pb::Snapshot::decode(bytes.as_slice()).expect("decodes");
        let back = snapshot_from_proto(&decoded, "").expect("converts");
        assert_eq!(back, snapshot);
        assert_eq!(back.to_json(), snapshot.to_json());

        let report = check(&Model::new(snapshot).expect("valid"));
        let bytes = report_to_proto(&report).encode_to_vec();
        let decoded = pb::CheckReport::decode(bytes.as_slice()).expect("decodes");
        assert_eq!(report_from_proto(&decoded).expect("converts"), report);
    }
}

/// The edge cases of the snapshot's optional parts survive the trip too: holidays given as an
/// empty list versus left to the library, no no-overtime day, the year-end closure turned off.
#[test]
fn optional_parts_round_trip() {
    let mut snapshot = city().clone();
    snapshot.calendar.holidays = Some(Vec::new());
    snapshot.calendar.year_end_closure = false;
    snapshot.rules.no_overtime_weekday = None;
    snapshot.organisation.units[0].opening.year_end_closure = false;
    let back = snapshot_from_proto(&snapshot_to_proto(&snapshot), "").expect("converts");
    assert_eq!(back, snapshot);
    snapshot.calendar.holidays = None;
    let back = snapshot_from_proto(&snapshot_to_proto(&snapshot), "").expect("converts");
    assert_eq!(back, snapshot);
}

/// An absent `rules` message, or one with every field absent, means the policy defaults.
#[test]
fn absent_rules_mean_defaults() {
    let mut p = small_proto().clone();
    p.rules = None;
    let a = snapshot_from_proto(&p, "").expect("converts");
    p.rules = Some(pb::Rules::default());
    let b = snapshot_from_proto(&p, "").expect("converts");
    assert_eq!(a.rules, rota::model::Rules::default());
    assert_eq!(b.rules, rota::model::Rules::default());
}
