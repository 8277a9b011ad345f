//! `Cover` over gRPC: a planner's tool asks the server to cover a nursery sick call. The server's
//! plan is the local engine's, by id and inline; a bad absence is `INVALID_ARGUMENT` naming the
//! field, a bad budget names its field, and an unknown snapshot is `NOT_FOUND`.

use chrono::Datelike;
mod common;

use common::server::{fields, store, Server};
use rota::gen::{generate, GenConfig};
use rota::service::convert::snapshot_to_proto;
use rota::service::proto as pb;
use rota::service::server::{self, Config};
use rota::solve::cover::{cover, AbsenceSpan};
use std::time::Duration;
use tonic::Code;

fn absence(staff: &str, from: &str, to: &str) -> pb::Absence {
    pb::Absence {
        staff: staff.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        kind: 0,
    }
}

fn ask(
    source: pb::cover_request::Source,
    absences: Vec<pb::Absence>,
    time_limit_seconds: f64,
    relative_gap: Option<f64>,
) -> pb::CoverRequest {
    pb::CoverRequest {
        source: Some(source),
        absences,
        time_limit_seconds,
        relative_gap,
        weights: None,
    }
}

/// Upload a city, cover a nursery sick call by id and inline: the same points and the same
/// changes as the library; bad requests name their field; an unknown snapshot is NOT_FOUND.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cover_over_grpc_matches_the_library() {
    let city = generate(&GenConfig {
        staff: 120,
        planted_per_rule: 0,
        ..GenConfig::default()
    });
    let model = city.snapshot.clone().into_model().expect("loads");
    let sick = city
        .snapshot
        .roster
        .iter()
        .find(|a| {
            a.shift.as_str() == rota::gen::shift::NURSERY_EARLY
                && a.date.month() == 6
                && a.date.weekday() == chrono::Weekday::Wed
        })
        .expect("a nursery early shift on a June Wednesday");
    let span = AbsenceSpan::sick(sick.staff.clone(), sick.date, sick.date);
    let local = tokio::task::spawn_blocking({
        let span = span.clone();
        move || cover(&model, &[span], Duration::from_secs(10), 0.01)
    })
    .await
    .expect("join")
    .expect("planned");
    assert!(local.vacancies > 0, "the sick call leaves a vacancy");
    assert!(local.proven, "a small city is solved to the gap: {local:?}");

    let server = Server::start(Config::default()).await;
    let mut client = server.client().await;
    let snapshot = snapshot_to_proto(&city.snapshot);
    let id = store(&mut client, &city.snapshot).await;

    let by_id = pb::cover_request::Source::SnapshotId(id.clone());
    let date = sick.date.to_string();
    let expected = rota::service::cover::to_proto(&local);
    for (source, to) in [
        (by_id.clone(), date.as_str()),
        // An empty `to` means one day; the default budget and gap are the library's above.
        (pb::cover_request::Source::Snapshot(snapshot), ""),
    ] {
        let answer = client
            .cover(ask(
                source,
                vec![absence(sick.staff.as_str(), &date, to)],
                0.0,
                None,
            ))
            .await
            .expect("answered")
            .into_inner();
        assert_eq!(answer.snapshot_id, id);
        let plan = answer.plan.expect("plan");
        assert_eq!(plan.penalty, local.penalty);
        assert_eq!(plan.changes, expected.changes);
        assert_eq!(plan.uncovered, expected.uncovered);
        assert_eq!(plan.ledger, expected.ledger);
        assert_eq!(
            (plan.candidates, plan.vacancies, plan.proven),
            (expected.candidates, expected.vacancies, expected.proven)
        );
        let back = rota::service::cover::from_proto(&plan).expect("readable");
        assert_eq!(back.changes, local.changes);
        assert_eq!(back.uncovered, local.uncovered);
    }

    let refused = |status: tonic::Status, field: &str| {
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
        assert_eq!(fields(&status), vec![field.to_string()], "{status:?}");
        assert!(status.message().contains(field), "{status:?}");
    };
    let before = sick.date.pred_opt().expect("a day before").to_string();
    let cases: Vec<(Vec<pb::Absence>, f64, Option<f64>, &str)> = vec![
        (
            vec![absence("nobody", &date, &date)],
            0.0,
            None,
            "absences[0].staff",
        ),
        (
            vec![
                absence(sick.staff.as_str(), &date, &date),
                absence(sick.staff.as_str(), &date, &before),
            ],
            0.0,
            None,
            "absences[1].to",
        ),
        (
            vec![absence(sick.staff.as_str(), "2026-02-30", "")],
            0.0,
            None,
            "absences[0].from",
        ),
        (
            vec![absence(sick.staff.as_str(), "2031-01-01", "2031-01-01")],
            0.0,
            None,
            "absences[0].from",
        ),
        (vec![], 0.0, None, "absences"),
        (
            vec![absence(sick.staff.as_str(), &date, &date)],
            -1.0,
            None,
            "time_limit_seconds",
        ),
        (
            vec![absence(sick.staff.as_str(), &date, &date)],
            f64::NAN,
            None,
            "time_limit_seconds",
        ),
        (
            vec![absence(sick.staff.as_str(), &date, &date)],
            86_401.0,
            None,
            "time_limit_seconds",
        ),
        (
            vec![absence(sick.staff.as_str(), &date, &date)],
            0.0,
            Some(1.5),
            "relative_gap",
        ),
        (
            vec![absence(sick.staff.as_str(), &date, &date)],
            0.0,
            Some(f64::NAN),
            "relative_gap",
        ),
    ];
    for (absences, time_limit, gap, field) in cases {
        let e = client
            .cover(ask(by_id.clone(), absences, time_limit, gap))
            .await
            .expect_err(field);
        refused(e, field);
    }

    let mut odd_kind = absence(sick.staff.as_str(), &date, &date);
    odd_kind.kind = 99;
    let e = client
        .cover(ask(by_id.clone(), vec![odd_kind], 0.0, None))
        .await
        .expect_err("an unknown leave kind");
    refused(e, "absences[0].kind");
    for (weights, field) in [
        (
            pb::CoverWeights {
                uncovered: Some(-1),
                ..pb::CoverWeights::default()
            },
            "weights.uncovered",
        ),
        (
            pb::CoverWeights {
                load_step: Some(1_000_001),
                ..pb::CoverWeights::default()
            },
            "weights.load_step",
        ),
    ] {
        let mut request = ask(
            by_id.clone(),
            vec![absence(sick.staff.as_str(), &date, &date)],
            0.0,
            None,
        );
        request.weights = Some(weights);
        let e = client.cover(request).await.expect_err(field);
        refused(e, field);
    }

    let unknown = pb::cover_request::Source::SnapshotId("0".repeat(64));
    let e = client
        .cover(ask(
            unknown,
            vec![absence(sick.staff.as_str(), &date, &date)],
            0.0,
            None,
        ))
        .await
        .expect_err("unknown id");
    assert_eq!(e.code(), Code::NotFound);
    let e = client
        .cover(pb::CoverRequest {
            absences: vec![absence(sick.staff.as_str(), &date, &date)],
            ..pb::CoverRequest::default()
        })
        .await
        .expect_err("no source");
    refused(e, "source");

    server.stop().await;
}

/// A job whose caller's deadline has already been answered does not start the solve: it stops
/// as cancelled instead of holding a worker for nobody.
#[test]
fn a_passed_deadline_stops_the_job_before_the_solve() {
    use rota::service::cover::{cover as job, CoverJob};
    use rota::service::pool::Cancel;
    use rota::service::ServiceError;
    let city = generate(&GenConfig {
        staff: 60,
        planted_per_rule: 0,
        ..GenConfig::default()
    });
    let a = &city.snapshot.roster[city.snapshot.roster.len() / 2];
    let state = server::state(&Config::default()).expect("state");
    let request = ask(
        pb::cover_request::Source::Snapshot(snapshot_to_proto(&city.snapshot)),
        vec![absence(a.staff.as_str(), &a.date.to_string(), "")],
        0.0,
        None,
    );
    let answer = job(
        &state,
        CoverJob {
            request,
            deadline: Some(std::time::Instant::now()),
        },
        &Cancel::default(),
    );
    assert!(
        matches!(answer, Err(ServiceError::Cancelled(_))),
        "{answer:?}"
    );
}
