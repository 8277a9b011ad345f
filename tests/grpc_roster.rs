//! `Roster` over gRPC: a planner's tool asks the server to roster a nursery and watches the
//! solver's progress stream in. The stream ends with the roster, which the checker, run here on
//! the snapshot with the new entries, judges exactly as the server reported; a bad request is
//! `INVALID_ARGUMENT` naming its field, an unknown snapshot `NOT_FOUND`, and a caller who hangs
//! up frees the server's worker.

mod common;

use common::server::{fields, store, Server};
use rota::gen::{generate, GenConfig};
use rota::model::Id;
use rota::rules::check;
use rota::service::convert::snapshot_to_proto;
use rota::service::proto as pb;
use rota::service::proto::rota_service_client::RotaServiceClient;
use rota::service::server::{self, Config};
use rota::solve::facility::replace_entries;
use rota::solve::roster::RosterFigures;
use std::time::{Duration, Instant};
use tonic::transport::Channel;
use tonic::Code;

/// Every message of a Roster stream: the progress reports, then the result or the status that
/// ended the stream.
async fn run(
    client: &mut RotaServiceClient<Channel>,
    request: pb::RosterRequest,
) -> (
    Vec<pb::SolveProgress>,
    Result<pb::RosterResult, tonic::Status>,
) {
    let mut progress = Vec::new();
    let mut stream = match client.roster(request).await {
        Ok(response) => response.into_inner(),
        Err(status) => return (progress, Err(status)),
    };
    loop {
        match stream.message().await {
            Ok(Some(pb::RosterUpdate {
                update: Some(pb::roster_update::Update::Progress(p)),
            })) => progress.push(p),
            Ok(Some(pb::RosterUpdate {
                update: Some(pb::roster_update::Update::Result(r)),
            })) => {
                assert!(
                    stream.message().await.expect("clean end").is_none(),
                    "the result is the last message"
                );
                return (progress, Ok(r));
            }
            Ok(Some(pb::RosterUpdate { update: None })) => panic!("an empty update"),
            Ok(None) => panic!("the stream ended without a result"),
            Err(status) => return (progress, Err(status)),
        }
    }
}

fn city() -> rota::gen::GeneratedCity {
    generate(&GenConfig {
        staff: 120,
        planted_per_rule: 0,
        ..GenConfig::default()
    })
}

/// The shift-run unit with the fewest staff posted to it (a quick solve).
fn smallest_facility(snapshot: &rota::model::Snapshot) -> Id {
    snapshot
        .organisation
        .units
        .iter()
        .filter(|u| u.shift_run)
        .min_by_key(|u| snapshot.staff.iter().filter(|p| p.unit == u.id).count())
        .expect("a shift-run unit")
        .id
        .clone()
}

fn ask(source: pb::roster_request::Source, unit: &Id) -> pb::RosterRequest {
    pb::RosterRequest {
        source: Some(source),
        units: vec![unit.to_string()],
        time_limit_seconds: 30.0,
        max_iterations: Some(20),
        ..pb::RosterRequest::default()
    }
}

/// Roster a facility by id and inline: progress arrives before the result, the result is lawful
/// by the checker run here on the snapshot with its entries, and it is never worse than today.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_streams_progress_then_a_checked_roster() {
    let city = city();
    let unit = smallest_facility(&city.snapshot);
    let server = Server::start(Config::default()).await;
    let mut client = server.client().await;
    let snapshot = snapshot_to_proto(&city.snapshot);
    let id = store(&mut client, &city.snapshot).await;

    for source in [
        pb::roster_request::Source::SnapshotId(id.clone()),
        pb::roster_request::Source::Snapshot(snapshot),
    ] {
        let (progress, result) = run(&mut client, ask(source, &unit)).await;
        let result = result.expect("rostered");
        assert!(!progress.is_empty(), "progress is streamed");
        assert!(
            progress.iter().any(|p| p.incumbent.is_some()),
            "a lawful roster is reported before the result: {progress:?}"
        );
        assert_eq!(result.snapshot_id, id);
        assert_eq!(result.facilities.len(), 1);
        let facility = &result.facilities[0];
        assert_eq!(facility.unit, unit.as_str());
        assert!(facility.penalty <= facility.penalty_before, "{facility:?}");
        let figures: RosterFigures =
            rota::service::roster::facility_from_proto(facility).expect("readable");
        assert_eq!(figures.terms.total(), facility.penalty);

        // Judge the roster here, independently of what the server said about it.
        let mut snapshot = city.snapshot.clone();
        replace_entries(
            &mut snapshot,
            &unit,
            &figures.staff,
            figures.entries.clone(),
        );
        let model = snapshot.into_model().expect("the new roster loads");
        let report = check(&model);
        let ours: Vec<_> = report
            .violations
            .iter()
            .filter(|v| {
                v.unit.as_ref() == Some(&unit)
                    || v.staff.as_ref().is_some_and(|s| figures.staff.contains(s))
            })
            .cloned()
            .collect();
        assert_eq!(
            ours, figures.violations,
            "the server's verdict is the checker's"
        );
        assert!(
            ours.iter().all(|v| v.rule == rota::rules::RuleId::Coverage),
            "no hard rule broken: {ours:?}"
        );
    }
    server.stop().await;
}

/// A window of June, priced by the request's weights, is one exact MILP: proven, and the days
/// outside it are exactly as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_keeps_the_days_outside() {
    let city = city();
    let unit = smallest_facility(&city.snapshot);
    let server = Server::start(Config::default()).await;
    let mut client = server.client().await;
    let mut request = ask(
        pb::roster_request::Source::Snapshot(snapshot_to_proto(&city.snapshot)),
        &unit,
    );
    request.from = "2026-06-01".into();
    request.to = "2026-06-30".into();
    request.weights = Some(pb::DemandWeights {
        under: Some(1000),
        over: None,
    });
    let (_, result) = run(&mut client, request).await;
    let result = result.expect("rostered");
    let facility = &result.facilities[0];
    assert_eq!(
        facility.status,
        pb::SolveStatus::Optimal as i32,
        "{facility:?}"
    );
    let figures = rota::service::roster::facility_from_proto(facility).expect("readable");
    let june = |d: chrono::NaiveDate| d.to_string().starts_with("2026-06");
    let outside = |entries: &mut dyn Iterator<Item = &rota::model::Assignment>| {
        let mut v: Vec<_> = entries
            .filter(|e| !june(e.date))
            .map(|e| (e.staff.clone(), e.date, e.shift.clone()))
            .collect();
        v.sort();
        v
    };
    let before = outside(
        &mut city
            .snapshot
            .roster
            .iter()
            .filter(|e| e.unit == unit && figures.staff.contains(&e.staff)),
    );
    let after = outside(&mut figures.entries.iter());
    assert_eq!(before, after, "only June changes");
    server.stop().await;
}

/// Every bad field is INVALID_ARGUMENT naming it, before or during the stream; an unknown
/// snapshot is NOT_FOUND; no source names `source`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_name_their_field() {
    let city = city();
    let unit = smallest_facility(&city.snapshot);
    let office = city
        .snapshot
        .organisation
        .units
        .iter()
        .find(|u| !u.shift_run)
        .expect("an office")
        .id
        .clone();
    let server = Server::start(Config::default()).await;
    let mut client = server.client().await;
    let id = store(&mut client, &city.snapshot).await;
    let base = ask(pb::roster_request::Source::SnapshotId(id), &unit);
    let with = |f: &dyn Fn(&mut pb::RosterRequest)| {
        let mut r = base.clone();
        f(&mut r);
        r
    };
    let cases: Vec<(pb::RosterRequest, &str)> = vec![
        (with(&|r| r.units = vec![String::new()]), "units[0]"),
        (
            with(&|r| r.units = vec![unit.to_string(), "U99999".into()]),
            "units[1]",
        ),
        (with(&|r| r.units = vec![office.to_string()]), "units[0]"),
        (
            with(&|r| r.units = vec![unit.to_string(), unit.to_string()]),
            "units[1]",
        ),
        (with(&|r| r.from = "2026-02-30".into()), "from"),
        (with(&|r| r.from = "2031-04-01".into()), "from"),
        (
            with(&|r| {
                r.from = "2026-06-10".into();
                r.to = "2026-06-01".into();
            }),
            "to",
        ),
        (with(&|r| r.time_limit_seconds = -1.0), "time_limit_seconds"),
        (
            with(&|r| r.time_limit_seconds = f64::NAN),
            "time_limit_seconds",
        ),
        (with(&|r| r.relative_gap = Some(2.0)), "relative_gap"),
        (
            with(&|r| {
                r.weights = Some(pb::DemandWeights {
                    under: Some(-5),
                    over: None,
                })
            }),
            "weights.under",
        ),
        (
            with(&|r| {
                r.weights = Some(pb::DemandWeights {
                    under: None,
                    over: Some(10_000_000),
                })
            }),
            "weights.over",
        ),
        (with(&|r| r.source = None), "source"),
    ];
    for (request, field) in cases {
        let (_, result) = run(&mut client, request).await;
        let status = result.expect_err(field);
        assert_eq!(status.code(), Code::InvalidArgument, "{field}: {status:?}");
        assert_eq!(fields(&status), vec![field.to_string()], "{status:?}");
        assert!(status.message().contains(field), "{status:?}");
    }
    let (_, result) = run(
        &mut client,
        with(&|r| r.source = Some(pb::roster_request::Source::SnapshotId("0".repeat(64)))),
    )
    .await;
    assert_eq!(result.expect_err("unknown id").code(), Code::NotFound);
    server.stop().await;
}

/// A caller who hangs up after the first progress report leaves the server serving: its only
/// worker is free again for the next request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hanging_up_frees_the_worker() {
    let city = city();
    let unit = smallest_facility(&city.snapshot);
    let server = Server::start(Config {
        workers: 1,
        queue: 0,
        ..Config::default()
    })
    .await;
    let mut client = server.client().await;
    let snapshot = snapshot_to_proto(&city.snapshot);
    let mut request = ask(
        pb::roster_request::Source::Snapshot(snapshot.clone()),
        &unit,
    );
    request.time_limit_seconds = 3600.0;
    request.max_iterations = None;
    let mut stream = client.roster(request).await.expect("opened").into_inner();
    let first = stream.message().await.expect("no error").expect("progress");
    assert!(matches!(
        first.update,
        Some(pb::roster_update::Update::Progress(_))
    ));
    drop(stream);
    let hung_up = Instant::now();
    loop {
        match client
            .check(pb::CheckRequest {
                source: Some(pb::check_request::Source::Snapshot(snapshot.clone())),
            })
            .await
        {
            Ok(_) => break,
            Err(status) if status.code() == Code::ResourceExhausted => {
                assert!(
                    hung_up.elapsed() < Duration::from_secs(600),
                    "the abandoned solve still holds the worker"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(status) => panic!("{status:?}"),
        }
    }
    server.stop().await;
}

/// The job stops at the solver's next step once its token trips (as it does when the reader
/// hangs up), and answers CANCELLED instead of a roster nobody will read.
#[test]
fn a_tripped_token_stops_the_solve() {
    use rota::service::pool::Cancel;
    use rota::service::roster::{roster, RosterJob};
    use rota::service::ServiceError;
    let city = city();
    let unit = smallest_facility(&city.snapshot);
    let state = server::state(&Config::default()).expect("state");
    let mut request = ask(
        pb::roster_request::Source::Snapshot(snapshot_to_proto(&city.snapshot)),
        &unit,
    );
    request.max_iterations = None;
    let cancel = Cancel::default();
    let mut reports = 0;
    let answer = roster(
        &state,
        RosterJob {
            request,
            deadline: None,
        },
        &cancel,
        &mut |_| {
            reports += 1;
            cancel.cancel();
        },
    );
    assert!(reports >= 1);
    assert!(
        matches!(answer, Err(ServiceError::Cancelled(_))),
        "{answer:?}"
    );
}

/// A job whose caller's deadline has already passed does not start the solve.
#[test]
fn a_passed_deadline_stops_the_job_before_the_solve() {
    use rota::service::pool::Cancel;
    use rota::service::roster::{roster, RosterJob};
    use rota::service::ServiceError;
    let city = city();
    let unit = smallest_facility(&city.snapshot);
    let state = server::state(&Config::default()).expect("state");
    let request = ask(
        pb::roster_request::Source::Snapshot(snapshot_to_proto(&city.snapshot)),
        &unit,
    );
    let answer = roster(
        &state,
        RosterJob {
            request,
            deadline: Some(Instant::now()),
        },
        &Cancel::default(),
        &mut |_| panic!("no progress: the solve never starts"),
    );
    assert!(
        matches!(answer, Err(ServiceError::Cancelled(_))),
        "{answer:?}"
    );
}

/// Every shift-run unit of the city at once (an empty `units`), over a fortnight: one result per
/// facility, and the stitched roster books nobody twice and breaks no hard rule, by the checker
/// run here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_city_at_once() {
    let city = city();
    let server = Server::start(Config::default()).await;
    let mut client = server.client().await;
    let request = pb::RosterRequest {
        source: Some(pb::roster_request::Source::Snapshot(snapshot_to_proto(
            &city.snapshot,
        ))),
        from: "2026-07-06".into(),
        to: "2026-07-19".into(),
        time_limit_seconds: 60.0,
        ..pb::RosterRequest::default()
    };
    let (_, result) = run(&mut client, request).await;
    let result = result.expect("rostered");
    let figures = rota::service::roster::from_proto(&result).expect("readable");
    let facilities: Vec<&str> = city
        .snapshot
        .organisation
        .units
        .iter()
        .filter(|u| u.shift_run)
        .map(|u| u.id.as_str())
        .collect();
    assert_eq!(
        figures.iter().map(|f| f.unit.as_str()).collect::<Vec<_>>(),
        facilities
    );
    let mut snapshot = city.snapshot.clone();
    for f in &figures {
        replace_entries(&mut snapshot, &f.unit, &f.staff, f.entries.clone());
    }
    let model = snapshot.into_model().expect("nobody is booked twice");
    let hard: Vec<_> = check(&model)
        .violations
        .into_iter()
        .filter(|v| v.rule != rota::rules::RuleId::Coverage)
        .collect();
    assert!(hard.is_empty(), "{hard:#?}");
    server.stop().await;
}
