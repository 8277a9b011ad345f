//! `rota check --server URL FILE` is the local `rota check FILE`, over gRPC: the same text, the
//! same JSON, the same exit codes (0 clean, 1 violations, 2 unusable input), and the same list of
//! problems for a snapshot the model refuses.

mod common;

use common::server::Server;
use rota::gen::{generate, GenConfig};
use rota::service::server::{self, Config};
use std::path::Path;
use std::process::{Command, Output};
use tokio::net::TcpListener;

fn rota(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rota"))
        .args(args)
        .env_remove("ROTA_TOKEN")
        .output()
        .expect("run rota")
}

fn same(local: &Output, remote: &Output, what: &str) {
    assert_eq!(
        local.status.code(),
        remote.status.code(),
        "{what}: exit codes"
    );
    assert_eq!(
        String::from_utf8_lossy(&local.stdout),
        String::from_utf8_lossy(&remote.stdout),
        "{what}: stdout"
    );
    assert_eq!(
        String::from_utf8_lossy(&local.stderr),
        String::from_utf8_lossy(&remote.stderr),
        "{what}: stderr"
    );
}

/// A city with planted violations (exit 1), a clean one (exit 0) and one with a broken reference
/// (exit 2), each in text and JSON, locally and against a server: identical.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_over_grpc_matches_local_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, s: &rota::model::Snapshot| {
        let path = dir.path().join(name);
        std::fs::write(&path, s.to_json()).expect("write");
        path
    };
    let city = generate(&GenConfig {
        staff: 60,
        ..GenConfig::default()
    });
    let dirty = write("dirty.json", &city.snapshot);
    let mut clean_snapshot = city.snapshot.clone();
    clean_snapshot.roster.clear();
    clean_snapshot.demand.clear();
    let clean = write("clean.json", &clean_snapshot);
    let mut broken_snapshot = city.snapshot.clone();
    broken_snapshot.staff[2].unit = rota::model::Id::new("nowhere");
    broken_snapshot.roster[5].shift = rota::model::Id::new("no-such-shift");
    let broken = write("broken.json", &broken_snapshot);
    let unparsable = dir.path().join("unparsable.json");
    std::fs::write(&unparsable, "{\"organisation\": 3}").expect("write");

    let server = Server::start(Config::default()).await;
    let url = server.url.clone();

    let cases: [(&Path, i32); 4] = [(&dirty, 1), (&clean, 0), (&broken, 2), (&unparsable, 2)];
    for (file, code) in cases {
        let file = file.to_str().expect("utf-8 path");
        for format in ["text", "json"] {
            let (local, remote) = tokio::task::spawn_blocking({
                let (file, url) = (file.to_string(), url.clone());
                move || {
                    (
                        rota(&["check", "--format", format, &file]),
                        rota(&["check", "--format", format, "--server", &url, &file]),
                    )
                }
            })
            .await
            .expect("join");
            assert_eq!(local.status.code(), Some(code), "{file} {format}");
            same(&local, &remote, &format!("{file} {format}"));
        }
    }

    // No server there: a clear message and exit 2, not a hang.
    let down = tokio::task::spawn_blocking(move || {
        rota(&["check", "--server", "http://127.0.0.1:9", "/dev/null"])
    });
    server.stop().await;
    let down = down.await.expect("join");
    assert_eq!(down.status.code(), Some(2));
}

/// A server that wants a token: the CLI passes `--token` (or `ROTA_TOKEN`); without it the
/// refusal is explained and the exit code is 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_over_grpc_with_a_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let city = generate(&GenConfig {
        staff: 60,
        ..GenConfig::default()
    });
    let file = dir.path().join("city.json");
    std::fs::write(&file, city.snapshot.to_json()).expect("write");
    let server = Server::start(Config {
        token: Some("open-sesame".into()),
        ..Config::default()
    })
    .await;
    let url = server.url.clone();
    let file = file.to_str().expect("utf-8").to_string();
    let (with, without) = tokio::task::spawn_blocking(move || {
        (
            rota(&["check", "--server", &url, "--token", "open-sesame", &file]),
            rota(&["check", "--server", &url, &file]),
        )
    })
    .await
    .expect("join");
    assert_eq!(with.status.code(), Some(1));
    assert_eq!(without.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&without.stderr).contains("UNAUTHENTICATED"));
    server.stop().await;
}

/// A server on TLS: the CLI trusts it through `--ca-cert` and gets the same answer as on plain
/// gRPC; without the certificate, or speaking plain HTTP/2 to it, the CLI explains and exits 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_over_tls_with_the_servers_certificate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let city = generate(&GenConfig {
        staff: 60,
        ..GenConfig::default()
    });
    let file = dir.path().join("city.json");
    std::fs::write(&file, city.snapshot.to_json()).expect("write");
    let names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    let issued = rcgen::generate_simple_self_signed(names).expect("a self-signed certificate");
    let cert_pem = issued.cert.pem();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &cert_pem).expect("write");

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let config = Config {
        tls: Some(server::TlsPem {
            cert: cert_pem.into_bytes(),
            key: issued.signing_key.serialize_pem().into_bytes(),
        }),
        ..Config::default()
    };
    let server = tokio::spawn(server::run(listener, config, async {
        let _ = stopped.await;
    }));
    let (file, ca) = (
        file.to_str().expect("utf-8").to_string(),
        ca.to_str().expect("utf-8").to_string(),
    );
    let (local, trusted, untrusted, plain) = tokio::task::spawn_blocking(move || {
        let https = format!("https://127.0.0.1:{port}");
        let http = format!("http://127.0.0.1:{port}");
        (
            rota(&["check", &file]),
            rota(&["check", "--server", &https, "--ca-cert", &ca, &file]),
            rota(&["check", "--server", &https, "--timeout", "10", &file]),
            rota(&["check", "--server", &http, "--timeout", "10", &file]),
        )
    })
    .await
    .expect("join");
    same(&local, &trusted, "TLS with the server's certificate");
    assert_eq!(
        untrusted.status.code(),
        Some(2),
        "an unknown certificate is refused"
    );
    assert_eq!(
        plain.status.code(),
        Some(2),
        "plain HTTP/2 to a TLS server fails"
    );
    let _ = stop.send(());
    server.await.expect("join").expect("clean stop");
}

/// `rota recommend --server` prints what the local verb prints, for a coverable absence (text and
/// JSON, exit 0) and for a day the person is not rostered (exit 2, the same message).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recommend_over_grpc_matches_local_recommend() {
    let dir = tempfile::tempdir().expect("tempdir");
    let city = generate(&GenConfig {
        staff: 60,
        planted_per_rule: 0,
        ..GenConfig::default()
    });
    let file = dir.path().join("city.json");
    std::fs::write(&file, city.snapshot.to_json()).expect("write");
    let a = city.snapshot.roster[city.snapshot.roster.len() / 2].clone();
    let server = Server::start(Config::default()).await;
    let url = server.url.clone();
    let file = file.to_str().expect("utf-8").to_string();
    let results = tokio::task::spawn_blocking(move || {
        let date = a.date.to_string();
        let mut out = Vec::new();
        for (date, format) in [
            (date.as_str(), "text"),
            (date.as_str(), "json"),
            ("2099-01-01", "text"),
        ] {
            let args = [
                "recommend",
                &file,
                "--staff",
                a.staff.as_str(),
                "--date",
                date,
                "--format",
                format,
            ];
            let mut remote: Vec<&str> = args.to_vec();
            remote.extend(["--server", url.as_str()]);
            out.push((format!("{date} {format}"), rota(&args), rota(&remote)));
        }
        out
    })
    .await
    .expect("join");
    for (what, local, remote) in &results {
        same(local, remote, what);
    }
    assert_eq!(results[2].1.status.code(), Some(2), "not rostered");
    server.stop().await;
}

/// [`same`], but for the seconds a solve took, which differ from run to run (locally too).
fn same_but_seconds(local: &Output, remote: &Output, what: &str) {
    assert_eq!(
        local.status.code(),
        remote.status.code(),
        "{what}: exit codes"
    );
    for (stream, l, r) in [
        ("stdout", &local.stdout, &remote.stdout),
        ("stderr", &local.stderr, &remote.stderr),
    ] {
        assert_eq!(
            without_seconds(&String::from_utf8_lossy(l)),
            without_seconds(&String::from_utf8_lossy(r)),
            "{what}: {stream}"
        );
    }
}

/// The seconds a plan took, which differ from run to run (locally too), blanked.
fn without_seconds(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.trim_start().starts_with("\"seconds\":") {
                "\"seconds\": …".to_string()
            } else if line.starts_with("bound ") && line.contains(" s, ") {
                // A roster's "bound …, gap …, status …, 1.2 s, 3 improvement steps".
                let parts: Vec<&str> = line.split(", ").collect();
                parts
                    .iter()
                    .map(|p| if p.ends_with(" s") { "… s" } else { p })
                    .collect::<Vec<_>>()
                    .join(", ")
            } else if line.starts_with("points ") && line.ends_with(" s") {
                match line.rfind("; ") {
                    Some(i) => format!("{}; … s", &line[..i]),
                    None => line.to_string(),
                }
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `rota cover --server` prints what the local verb prints for a nursery sick call (text, JSON and
/// CSV, the same exit code; only the seconds spent may differ) and writes the same `--out`
/// snapshot; an unknown staff member is the same message and exit 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cover_over_grpc_matches_local_cover() {
    use chrono::Datelike;
    let dir = tempfile::tempdir().expect("tempdir");
    let city = generate(&GenConfig {
        staff: 120,
        planted_per_rule: 0,
        ..GenConfig::default()
    });
    let file = dir.path().join("city.json");
    std::fs::write(&file, city.snapshot.to_json()).expect("write");
    let sick = city
        .snapshot
        .roster
        .iter()
        .find(|a| {
            a.shift.as_str() == rota::gen::shift::NURSERY_EARLY
                && a.date.month() == 6
                && a.date.weekday() == chrono::Weekday::Wed
        })
        .expect("a nursery sick call")
        .clone();
    let server = Server::start(Config::default()).await;
    let url = server.url.clone();
    let file = file.to_str().expect("utf-8").to_string();
    let (local_out, remote_out) = (
        dir.path()
            .join("local.json")
            .to_str()
            .expect("utf-8")
            .to_string(),
        dir.path()
            .join("remote.json")
            .to_str()
            .expect("utf-8")
            .to_string(),
    );
    let results = tokio::task::spawn_blocking({
        let (local_out, remote_out) = (local_out.clone(), remote_out.clone());
        move || {
            let absent = format!("{}:{}", sick.staff, sick.date);
            let mut out = Vec::new();
            for (absent, format) in [
                (absent.as_str(), "text"),
                (absent.as_str(), "json"),
                (absent.as_str(), "csv"),
                ("nobody:2026-06-03", "text"),
            ] {
                let args = ["cover", &file, "--absent", absent, "--format", format];
                let mut local: Vec<&str> = args.to_vec();
                let mut remote: Vec<&str> = args.to_vec();
                if format == "csv" {
                    local.extend(["--out", local_out.as_str()]);
                    remote.extend(["--out", remote_out.as_str()]);
                }
                remote.extend(["--server", url.as_str()]);
                out.push((format!("{absent} {format}"), rota(&local), rota(&remote)));
            }
            out
        }
    })
    .await
    .expect("join");
    for (what, local, remote) in &results {
        same_but_seconds(local, remote, what);
    }
    assert!(
        matches!(results[0].1.status.code(), Some(0 | 1)),
        "a plan: {:?}",
        results[0].1
    );
    assert!(
        String::from_utf8_lossy(&results[0].1.stdout).contains("changes:"),
        "the sick call is covered by a change: {}",
        String::from_utf8_lossy(&results[0].1.stdout)
    );
    assert_eq!(
        std::fs::read(&local_out).expect("local --out"),
        std::fs::read(&remote_out).expect("remote --out"),
        "--out"
    );
    assert_eq!(results[3].1.status.code(), Some(2), "unknown staff");
    server.stop().await;
}

/// `rota roster --server` prints what the local verb prints for a window of a facility (text and
/// JSON summaries, the same exit code; only the seconds spent may differ) and writes the same
/// snapshot; an unknown unit and a window outside the horizon are the same message and exit 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_over_grpc_matches_local_roster() {
    let dir = tempfile::tempdir().expect("tempdir");
    let city = generate(&GenConfig {
        staff: 120,
        planted_per_rule: 0,
        ..GenConfig::default()
    });
    let unit = city
        .snapshot
        .organisation
        .units
        .iter()
        .find(|u| u.shift_run)
        .expect("a facility")
        .id
        .to_string();
    let file = dir.path().join("city.json");
    std::fs::write(&file, city.snapshot.to_json()).expect("write");
    let server = Server::start(Config::default()).await;
    let url = server.url.clone();
    let file = file.to_str().expect("utf-8").to_string();
    let out = |name: &str| dir.path().join(name).to_str().expect("utf-8").to_string();
    let (local_out, remote_out) = (out("local.json"), out("remote.json"));
    let results = tokio::task::spawn_blocking({
        let (local_out, remote_out) = (local_out.clone(), remote_out.clone());
        move || {
            let mut results = Vec::new();
            let window = ["--from", "2026-06-01", "--to", "2026-06-14"];
            for (unit, format, window) in [
                (unit.as_str(), "text", &window[..]),
                (unit.as_str(), "json", &window[..]),
                ("U99999", "text", &window[..]),
                (unit.as_str(), "text", &["--from", "2031-01-01"][..]),
            ] {
                let mut args = vec!["roster", &file, "--unit", unit, "--format", format];
                args.extend(window);
                let mut local = args.clone();
                let mut remote = args.clone();
                if format == "json" {
                    local.extend(["--out", local_out.as_str()]);
                    remote.extend(["--out", remote_out.as_str()]);
                }
                remote.extend(["--server", url.as_str()]);
                results.push((format!("{unit} {format}"), rota(&local), rota(&remote)));
            }
            results
        }
    })
    .await
    .expect("join");
    for (what, local, remote) in &results {
        same_but_seconds(local, remote, what);
    }
    assert_eq!(results[0].1.status.code(), Some(0), "{:?}", results[0].1);
    assert!(
        String::from_utf8_lossy(&results[0].1.stderr).contains("checker on the result"),
        "{:?}",
        results[0].1
    );
    assert_eq!(
        std::fs::read(&local_out).expect("local --out"),
        std::fs::read(&remote_out).expect("remote --out"),
        "--out"
    );
    assert_eq!(results[2].1.status.code(), Some(2), "unknown unit");
    assert_eq!(results[3].1.status.code(), Some(2), "outside the horizon");
    server.stop().await;
}
