//! The gRPC service end to end: a real server on `127.0.0.1:0`, a real tonic client.
//!
//! An HR planner's script uploads the city's snapshot once, checks it by id every morning, and
//! sometimes checks a what-if variant inline. Whatever the planner gets wrong — a date typed as
//! `2026-13-01`, a grade the server does not know, an id that was never uploaded — the server
//! answers with the standard code and the exact field, never a crash. When the server is busy
//! it says so at once; when the planner's deadline passes it stops working on it; when it
//! restarts it still has every snapshot it acknowledged.

mod common;

use common::server::Server;
use rota::gen::{generate, GenConfig};
use rota::model::{Model, Snapshot};
use rota::rules::{check, CheckReport};
use rota::service::convert::{report_from_proto, snapshot_to_proto};
use rota::service::proto as pb;
use rota::service::proto::rota_service_client::RotaServiceClient;
use rota::service::server::{self, Config};
use rota::service::store::content_id;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tonic::transport::Channel;
use tonic::Code;
use tonic_types::StatusExt;

/// A small realistic city (60 regular staff), generated once.
fn city() -> &'static (Snapshot, CheckReport) {
    static CITY: OnceLock<(Snapshot, CheckReport)> = OnceLock::new();
    CITY.get_or_init(|| {
        let snapshot = generate(&GenConfig {
            staff: 60,
            ..GenConfig::default()
        })
        .snapshot;
        let report = check(&Model::new(snapshot.clone()).expect("generated city is valid"));
        (snapshot, report)
    })
}

fn city_with_seed(seed: u64) -> Snapshot {
    generate(&GenConfig {
        staff: 60,
        seed,
        ..GenConfig::default()
    })
    .snapshot
}

fn config() -> Config {
    Config {
        workers: 2,
        queue: 64,
        shutdown_grace: Duration::from_secs(5),
        ..Config::default()
    }
}

async fn put(client: &mut RotaServiceClient<Channel>, s: &Snapshot) -> pb::PutSnapshotResponse {
    client
        .put_snapshot(pb::PutSnapshotRequest {
            snapshot: Some(snapshot_to_proto(s)),
        })
        .await
        .expect("put")
        .into_inner()
}

fn by_id(id: &str) -> pb::CheckRequest {
    pb::CheckRequest {
        source: Some(pb::check_request::Source::SnapshotId(id.to_string())),
    }
}

fn inline(s: pb::Snapshot) -> pb::CheckRequest {
    pb::CheckRequest {
        source: Some(pb::check_request::Source::Snapshot(s)),
    }
}

fn report_of(response: pb::CheckResponse) -> CheckReport {
    report_from_proto(&response.report.expect("report")).expect("well-formed report")
}

/// The field paths of an INVALID_ARGUMENT's BadRequest details.
fn bad_fields(status: &tonic::Status) -> Vec<String> {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    status
        .get_details_bad_request()
        .expect("BadRequest details")
        .field_violations
        .into_iter()
        .map(|v| v.field)
        .collect()
}

/// Upload once, then check by id and inline: the server's report is the local checker's, the id
/// is the SHA-256 of the canonical JSON, and a second upload stores nothing new.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_check_and_reuse_by_id() {
    let (snapshot, expected) = city();
    let server = Server::start(config()).await;
    let mut client = server.client().await;

    let first = put(&mut client, snapshot).await;
    let info = first.info.expect("info");
    assert!(first.created);
    assert_eq!(info.snapshot_id, content_id(&snapshot.to_json()));
    assert_eq!(info.staff, snapshot.staff.len() as u64);
    assert_eq!(info.roster_entries, snapshot.roster.len() as u64);
    assert_eq!(info.calendar_start, snapshot.calendar.start.to_string());

    let again = put(&mut client, snapshot).await;
    assert!(!again.created);
    assert_eq!(again.info.expect("info").snapshot_id, info.snapshot_id);

    let described = client
        .get_snapshot_info(pb::GetSnapshotInfoRequest {
            snapshot_id: info.snapshot_id.clone(),
        })
        .await
        .expect("info")
        .into_inner()
        .info
        .expect("info");
    assert_eq!(described, info);

    for _ in 0..2 {
        let response = client
            .check(by_id(&info.snapshot_id))
            .await
            .expect("check by id")
            .into_inner();
        assert_eq!(response.snapshot_id, info.snapshot_id);
        assert_eq!(&report_of(response), expected);
    }

    let response = client
        .check(inline(snapshot_to_proto(snapshot)))
        .await
        .expect("inline check")
        .into_inner();
    assert_eq!(response.snapshot_id, info.snapshot_id);
    let report = report_of(response);
    assert!(
        !report.violations.is_empty(),
        "the generator plants violations"
    );
    assert_eq!(&report, expected);
    server.stop().await;
}

/// Each kind of broken field — an unreadable date or time, an unknown or unspecified enum value,
/// a missing required message, a reference the model's validation refuses — is answered with
/// INVALID_ARGUMENT naming that field's path, in the details and in the message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_of_bad_field_is_named() {
    let good = snapshot_to_proto(&city().0);
    type Breakage = (&'static str, fn(&mut pb::Snapshot), &'static str);
    let cases: Vec<Breakage> = vec![
        (
            "bad date",
            |s| s.staff[3].hire_date = "2026-13-01".into(),
            "snapshot.staff[3].hire_date",
        ),
        (
            "bad optional date",
            |s| s.staff[0].history[0].to = Some("soon".into()),
            "snapshot.staff[0].history[0].to",
        ),
        (
            "bad time",
            |s| s.shift_types[0].start = "25:00".into(),
            "snapshot.shift_types[0].start",
        ),
        (
            "bad leave time",
            |s| {
                s.leave[0].hours = Some(pb::TimeRange {
                    start: "9am".into(),
                    end: "12:00".into(),
                })
            },
            "snapshot.leave[0].hours.start",
        ),
        (
            "unknown enum",
            |s| s.staff[1].grade = 99,
            "snapshot.staff[1].grade",
        ),
        (
            "unspecified enum",
            |s| s.staff[2].employment = 0,
            "snapshot.staff[2].employment",
        ),
        (
            "unknown nested enum",
            |s| {
                s.organisation.as_mut().expect("org").units[0]
                    .opening
                    .as_mut()
                    .expect("opening")
                    .weekdays[0] = 8
            },
            "snapshot.organisation.units[0].opening.weekdays[0]",
        ),
        (
            "unknown category",
            |s| s.organisation.as_mut().expect("org").units[1].categories = vec![42],
            "snapshot.organisation.units[1].categories[0]",
        ),
        (
            "unknown leave kind",
            |s| s.leave[2].kind = -1,
            "snapshot.leave[2].kind",
        ),
        (
            "bad rules time",
            |s| {
                s.rules
                    .as_mut()
                    .expect("rules")
                    .standard_day
                    .as_mut()
                    .expect("day")
                    .end = Some("17.15".into())
            },
            "snapshot.rules.standard_day.end",
        ),
        (
            "missing calendar",
            |s| s.calendar = None,
            "snapshot.calendar",
        ),
        (
            "missing organisation",
            |s| s.organisation = None,
            "snapshot.organisation",
        ),
        (
            "missing contract",
            |s| s.staff[4].contract = None,
            "snapshot.staff[4].contract",
        ),
        (
            "unknown unit (model validation)",
            |s| s.staff[5].unit = "no-such-unit".into(),
            "snapshot.staff[5].unit",
        ),
        (
            "empty id (model validation)",
            |s| s.staff[6].id = String::new(),
            "snapshot.staff[6].id",
        ),
        (
            "roster date",
            |s| s.roster[7].date = "2026-02-30".into(),
            "snapshot.roster[7].date",
        ),
    ];
    let server = Server::start(config()).await;
    let mut client = server.client().await;
    for (what, breakage, path) in cases {
        let mut s = good.clone();
        breakage(&mut s);
        for put_first in [true, false] {
            let status = if put_first {
                client
                    .put_snapshot(pb::PutSnapshotRequest {
                        snapshot: Some(s.clone()),
                    })
                    .await
                    .expect_err(what)
            } else {
                client.check(inline(s.clone())).await.expect_err(what)
            };
            let fields = bad_fields(&status);
            assert!(
                fields.iter().any(|f| f == path),
                "{what}: {path} not in {fields:?}"
            );
            assert!(
                status.message().contains(path),
                "{what}: message {:?}",
                status.message()
            );
        }
    }
    server.stop().await;
}

/// Several problems in one request are all reported, not just the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_problem_is_listed() {
    let mut s = snapshot_to_proto(&city().0);
    s.staff[0].birth_date = "yesterday".into();
    s.staff[1].grade = 77;
    s.roster[2].date = "".into();
    let server = Server::start(config()).await;
    let mut client = server.client().await;
    let status = client.check(inline(s)).await.expect_err("invalid");
    let fields = bad_fields(&status);
    for path in [
        "snapshot.staff[0].birth_date",
        "snapshot.staff[1].grade",
        "snapshot.roster[2].date",
    ] {
        assert!(fields.iter().any(|f| f == path), "{path} not in {fields:?}");
    }
    assert!(
        status.message().starts_with("3 problem(s)"),
        "{}",
        status.message()
    );
    server.stop().await;
}

/// Requests malformed beyond the snapshot: no source, no snapshot, an id of the wrong form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_are_invalid_argument() {
    let server = Server::start(config()).await;
    let mut client = server.client().await;
    let status = client
        .check(pb::CheckRequest { source: None })
        .await
        .expect_err("no source");
    assert_eq!(bad_fields(&status), ["source"]);
    let status = client
        .put_snapshot(pb::PutSnapshotRequest { snapshot: None })
        .await
        .expect_err("no snapshot");
    assert_eq!(bad_fields(&status), ["snapshot"]);
    for id in ["", "xyz", &"A".repeat(64), &"0".repeat(63)] {
        let status = client.check(by_id(id)).await.expect_err("bad id");
        assert_eq!(bad_fields(&status), ["snapshot_id"]);
        let status = client
            .get_snapshot_info(pb::GetSnapshotInfoRequest {
                snapshot_id: id.to_string(),
            })
            .await
            .expect_err("bad id");
        assert_eq!(bad_fields(&status), ["snapshot_id"]);
    }
    server.stop().await;
}

/// An id of the right form that was never uploaded is NOT_FOUND, for both RPCs that take one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_id_is_not_found() {
    let server = Server::start(config()).await;
    let mut client = server.client().await;
    let id = "0".repeat(64);
    let status = client.check(by_id(&id)).await.expect_err("unknown");
    assert_eq!(status.code(), Code::NotFound);
    let status = client
        .get_snapshot_info(pb::GetSnapshotInfoRequest { snapshot_id: id })
        .await
        .expect_err("unknown");
    assert_eq!(status.code(), Code::NotFound);
    server.stop().await;
}

/// A caller whose deadline passes while its job waits in the queue gets DEADLINE_EXCEEDED (not
/// tonic's CANCELLED); the abandoned job never runs, and the server is none the worse for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadline_expiry() {
    let (snapshot, expected) = city();
    // A job held in the queue past the deadline: one worker, kept busy.
    let config = Config {
        workers: 1,
        queue: 4,
        ..config()
    };
    let state = server::state(&config).expect("state");
    let (release, hold) = std::sync::mpsc::channel::<()>();
    let ticket = state.pool.admit().expect("admitted");
    let busy = tokio::spawn(ticket.run(move |_| hold.recv_timeout(Duration::from_secs(30))));
    let slow = Server::start_with_state(config, state).await;
    let mut slow_client = slow.client().await;
    // A small request (no roster) and a deadline long enough that the server's answer, sent 5 %
    // early, beats the tonic client's own timer even on a loaded machine.
    let mut small = snapshot.clone();
    small.roster.clear();
    let mut request = tonic::Request::new(inline(snapshot_to_proto(&small)));
    request.set_timeout(Duration::from_secs(1));
    let started = std::time::Instant::now();
    let status = slow_client.check(request).await.expect_err("deadline");
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    release.send(()).expect("release");
    busy.await.expect("join").expect("ran").expect("released");
    // The worker is free again and the abandoned job never ran: the next check is answered.
    let report = report_of(
        slow_client
            .check(inline(snapshot_to_proto(snapshot)))
            .await
            .expect("check")
            .into_inner(),
    );
    assert_eq!(&report, expected);
    slow.stop().await;
}

/// A running job sees its caller go away: dropping the RPC's future (what tonic does when the
/// client cancels or the deadline layer gives up) trips the job's cancellation token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_job_is_cancelled_when_its_caller_leaves() {
    let pool = rota::service::pool::SolvePool::new(1, 0);
    let (started, is_started) = std::sync::mpsc::channel::<()>();
    let job = pool.run(move |cancel| {
        let _ = started.send(());
        let t = std::time::Instant::now();
        while !cancel.is_cancelled() && t.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(1));
        }
        cancel.check()
    });
    let caller = tokio::spawn(job);
    tokio::task::spawn_blocking(move || is_started.recv().expect("job started"))
        .await
        .expect("join");
    caller.abort();
    // The job notices, ends, and gives its worker back.
    let t = std::time::Instant::now();
    let again = loop {
        match pool.run(|_| 42).await {
            Ok(v) => break v,
            Err(_) if t.elapsed() < Duration::from_secs(10) => {
                tokio::time::sleep(Duration::from_millis(5)).await
            }
            Err(e) => panic!("the cancelled job kept its worker: {e}"),
        }
    };
    assert_eq!(again, 42);
    assert!(t.elapsed() < Duration::from_secs(5));
}

/// With every worker busy and the queue full, a new request is refused at once with
/// RESOURCE_EXHAUSTED; once the work drains, requests are served again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_queue_is_resource_exhausted() {
    let (snapshot, expected) = city();
    let config = Config {
        workers: 1,
        queue: 2,
        ..config()
    };
    let state = server::state(&config).expect("state");
    // Occupy the worker and both queue places with jobs that wait for a signal.
    let mut releases = Vec::new();
    let mut held = Vec::new();
    for _ in 0..3 {
        let (release, hold) = std::sync::mpsc::channel::<()>();
        releases.push(release);
        let ticket = state.pool.admit().expect("admitted");
        held.push(tokio::spawn(
            ticket.run(move |_| hold.recv_timeout(Duration::from_secs(30))),
        ));
    }
    let server = Server::start_with_state(config, state).await;
    let mut client = server.client().await;
    let started = std::time::Instant::now();
    let status = client
        .check(inline(snapshot_to_proto(snapshot)))
        .await
        .expect_err("busy");
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(status.message().contains("busy"), "{}", status.message());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refused at once"
    );
    // A cheap RPC needs no worker and is still answered.
    let status = client
        .check(by_id(&"0".repeat(64)))
        .await
        .expect_err("unknown");
    assert_eq!(status.code(), Code::NotFound);

    for r in releases {
        r.send(()).expect("release");
    }
    for h in held {
        h.await.expect("join").expect("ran").expect("released");
    }
    let report = report_of(
        client
            .check(inline(snapshot_to_proto(snapshot)))
            .await
            .expect("served")
            .into_inner(),
    );
    assert_eq!(&report, expected);
    server.stop().await;
}

/// Fifty planners at once, each on their own connection, half by id and half inline: every one
/// gets the right report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_clients() {
    let (snapshot, expected) = city();
    let server = Server::start(config()).await;
    let id = put(&mut server.client().await, snapshot)
        .await
        .info
        .expect("info")
        .snapshot_id;
    let proto = Arc::new(snapshot_to_proto(snapshot));
    let mut tasks = Vec::new();
    for i in 0..50 {
        let url = server.url.clone();
        let id = id.clone();
        let proto = Arc::clone(&proto);
        tasks.push(tokio::spawn(async move {
            let mut client = RotaServiceClient::connect(url).await.expect("connect");
            let request = if i % 2 == 0 {
                by_id(&id)
            } else {
                inline((*proto).clone())
            };
            client.check(request).await.map(|r| r.into_inner())
        }));
    }
    for t in tasks {
        let response = t.await.expect("join").expect("answered");
        assert_eq!(response.snapshot_id, id);
        assert_eq!(&report_of(response), expected);
    }
    server.stop().await;
}

/// Every acknowledged snapshot survives a restart; a temp file left by an interrupted write is
/// cleaned up and never shows as a snapshot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_keeps_every_snapshot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = Config {
        data_dir: Some(dir.path().to_path_buf()),
        ..config()
    };
    let cities: Vec<Snapshot> = (1..=3).map(city_with_seed).collect();
    let server = Server::start(config.clone()).await;
    let mut client = server.client().await;
    let mut ids = Vec::new();
    for c in &cities {
        ids.push(put(&mut client, c).await.info.expect("info").snapshot_id);
    }
    drop(client);
    server.stop().await;

    let leftover = dir.path().join("snapshots").join(".tmp-interrupted");
    std::fs::write(&leftover, b"half a snapsh").expect("write");

    let server = Server::start(config).await;
    let mut client = server.client().await;
    assert!(!leftover.exists(), "temp files are removed on start");
    for (c, id) in cities.iter().zip(&ids) {
        let info = client
            .get_snapshot_info(pb::GetSnapshotInfoRequest {
                snapshot_id: id.clone(),
            })
            .await
            .expect("still there")
            .into_inner()
            .info
            .expect("info");
        assert_eq!(info.staff, c.staff.len() as u64);
        let report = report_of(client.check(by_id(id)).await.expect("check").into_inner());
        assert_eq!(report, check(&Model::new(c.clone()).expect("valid")));
    }
    let again = put(&mut client, &cities[0]).await;
    assert!(!again.created, "already stored before the restart");
    server.stop().await;
    assert_eq!(files_in(&dir.path().join("snapshots")), 3);
}

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

/// The store is bounded and says so when full.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_store_says_so() {
    let mut config = config();
    config.store.max_snapshots = 1;
    let server = Server::start(config).await;
    let mut client = server.client().await;
    put(&mut client, &city_with_seed(1)).await;
    let status = client
        .put_snapshot(pb::PutSnapshotRequest {
            snapshot: Some(snapshot_to_proto(&city_with_seed(2))),
        })
        .await
        .expect_err("full");
    assert_eq!(status.code(), Code::ResourceExhausted);
    assert!(
        status.message().contains("store is full"),
        "{}",
        status.message()
    );
    server.stop().await;
}

/// A message over the server's limit is refused before it is decoded, and the server carries on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_message_is_refused_cleanly() {
    let (snapshot, expected) = city();
    let config = Config {
        max_message_bytes: 64 << 10,
        ..config()
    };
    let server = Server::start(config).await;
    let mut client = server.client().await;
    let status = client
        .check(inline(snapshot_to_proto(snapshot)))
        .await
        .expect_err("too large");
    // tonic's code for a message over the limit.
    assert_eq!(status.code(), Code::OutOfRange, "{status:?}");
    assert!(
        status.message().contains("too large"),
        "{}",
        status.message()
    );
    // Small requests still work (a small inline snapshot: no roster, leave nor demand).
    let mut small = snapshot.clone();
    small.roster.clear();
    small.leave.clear();
    small.demand.clear();
    let report = report_of(
        client
            .check(inline(snapshot_to_proto(&small)))
            .await
            .expect("small")
            .into_inner(),
    );
    assert!(report.violations.len() <= expected.violations.len());
    server.stop().await;
}

/// With a token configured, rota.v1 calls need it; health stays open for probes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_token() {
    let config = Config {
        token: Some("s3cret".into()),
        ..config()
    };
    let server = Server::start(config).await;
    let mut client = server.client().await;
    let id = "0".repeat(64);
    let status = client.check(by_id(&id)).await.expect_err("no token");
    assert_eq!(status.code(), Code::Unauthenticated);

    let mut request = tonic::Request::new(by_id(&id));
    request
        .metadata_mut()
        .insert("authorization", "Bearer wrong".parse().expect("ascii"));
    assert_eq!(
        client.check(request).await.expect_err("wrong").code(),
        Code::Unauthenticated
    );

    let mut request = tonic::Request::new(by_id(&id));
    request
        .metadata_mut()
        .insert("authorization", "Bearer s3cret".parse().expect("ascii"));
    assert_eq!(
        client.check(request).await.expect_err("unknown id").code(),
        Code::NotFound
    );

    let channel = Channel::from_shared(server.url.clone())
        .expect("url")
        .connect()
        .await
        .expect("connect");
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "rota.v1.RotaService".into(),
        })
        .await
        .expect("health")
        .into_inner()
        .status;
    assert_eq!(
        status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
    server.stop().await;
}

/// Reflection lists the service, so grpcurl and friends can discover it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reflection_lists_the_service() {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    let server = Server::start(config()).await;
    let channel = Channel::from_shared(server.url.clone())
        .expect("url")
        .connect()
        .await
        .expect("connect");
    let mut client = ServerReflectionClient::new(channel);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = client
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .expect("reflection")
        .into_inner();
    let response = stream.message().await.expect("message").expect("one");
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else {
        panic!("unexpected reflection answer");
    };
    let names: Vec<_> = list.service.into_iter().map(|s| s.name).collect();
    assert!(
        names.iter().any(|n| n == "rota.v1.RotaService"),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n == "grpc.health.v1.Health"),
        "{names:?}"
    );
    drop(stream);
    server.stop().await;
}
