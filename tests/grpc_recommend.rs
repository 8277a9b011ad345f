//! `Recommend` over gRPC: a planner's tool asks, for tonight's sick call, who should cover. The
//! server's ranking is the local engine's, by id or inline, and a mistyped staff id, date or count
//! is `INVALID_ARGUMENT` naming the field.

mod common;

use common::server::{fields, store, Server};
use rota::gen::{generate, GenConfig};
use rota::service::convert::snapshot_to_proto;
use rota::service::proto as pb;
use rota::service::server::Config;
use rota::solve::recommend::{recommend, Absence};
use tonic::Code;

/// Upload a city, ask for the best five replacements of one absence by id and inline: the same
/// ranking and costs as the library gives; broken requests name their field; an unknown snapshot
/// is NOT_FOUND.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recommend_over_grpc_matches_the_library() {
    let city = generate(&GenConfig {
        staff: 60,
        planted_per_rule: 0,
        ..GenConfig::default()
    });
    let model = city.snapshot.clone().into_model().expect("loads");
    let a = &city.snapshot.roster[city.snapshot.roster.len() / 2];
    let absence = Absence {
        staff: a.staff.clone(),
        date: a.date,
    };
    let local = recommend(&model, &absence, 5).expect("rostered");
    assert!(
        !local.candidates.is_empty(),
        "someone can cover {absence:?}"
    );

    let server = Server::start(Config::default()).await;
    let mut client = server.client().await;
    let snapshot = snapshot_to_proto(&city.snapshot);
    let id = store(&mut client, &city.snapshot).await;

    let ask = |source: pb::recommend_request::Source, staff: &str, date: &str, top: u32| {
        pb::RecommendRequest {
            source: Some(source),
            staff: staff.to_string(),
            date: date.to_string(),
            top,
        }
    };
    let by_id = pb::recommend_request::Source::SnapshotId(id.clone());
    let date = absence.date.to_string();
    for source in [
        by_id.clone(),
        pb::recommend_request::Source::Snapshot(snapshot),
    ] {
        let answer = client
            .recommend(ask(source, absence.staff.as_str(), &date, 0))
            .await
            .expect("answered")
            .into_inner();
        assert_eq!(answer.snapshot_id, id);
        let r = answer.recommendation.expect("recommendation");
        let remote: Vec<(String, i64)> = r
            .candidates
            .iter()
            .map(|c| (c.staff.clone(), c.cost))
            .collect();
        let expected: Vec<(String, i64)> = local
            .candidates
            .iter()
            .map(|c| (c.staff.to_string(), c.cost))
            .collect();
        assert_eq!(remote, expected);
        assert_eq!(r.lawful as usize, local.lawful);
        assert_eq!(
            r.vacancy.expect("vacancy").shift,
            local.vacancy.shift.to_string()
        );
    }

    let refused = |status: tonic::Status, field: &str| {
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
        assert_eq!(fields(&status), vec![field.to_string()], "{status:?}");
    };
    let e = client
        .recommend(ask(by_id.clone(), "nobody", &date, 5))
        .await
        .expect_err("unknown staff");
    refused(e, "staff");
    let e = client
        .recommend(ask(by_id.clone(), absence.staff.as_str(), "2026-13-01", 5))
        .await
        .expect_err("bad date");
    refused(e, "date");
    let e = client
        .recommend(ask(by_id.clone(), absence.staff.as_str(), &date, 1_000_000))
        .await
        .expect_err("too many");
    refused(e, "top");
    let off = city
        .snapshot
        .calendar
        .start
        .iter_days()
        .find(|d| {
            !city
                .snapshot
                .roster
                .iter()
                .any(|x| x.staff == absence.staff && x.date == *d)
        })
        .expect("a day off");
    let e = client
        .recommend(ask(by_id, absence.staff.as_str(), &off.to_string(), 5))
        .await
        .expect_err("not rostered");
    refused(e, "date");
    let unknown = pb::recommend_request::Source::SnapshotId("0".repeat(64));
    let e = client
        .recommend(ask(unknown, absence.staff.as_str(), &date, 5))
        .await
        .expect_err("unknown id");
    assert_eq!(e.code(), Code::NotFound);

    server.stop().await;
}
