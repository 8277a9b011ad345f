//! The `rota` binary end to end: `gen`, `check` (text and JSON, exit codes 0, 1 and 2), `schema`
//! and `demo`, each run as a child process in its own temporary directory.

use rota::gen::{generate, GenConfig};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("rota-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name))
            .unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.file(name), text)
            .unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `rota` with `args` in `dir`.
fn rota(dir: &TempDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rota"))
        .args(args)
        .current_dir(dir.path())
        .output()
        .expect("the rota binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing both streams when it is wrong.
fn assert_exit(o: &Output, code: i32, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "{what}: exit status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status,
        stdout(o),
        stderr(o)
    );
}

fn parse(text: &str, what: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what} is not JSON: {e}\n{text}"))
}

/// `rota gen --seed 3 --staff 60 --out city.json --planted planted.json` in `dir`; returns the
/// planted list.
fn gen_small_city(dir: &TempDir) -> Vec<Value> {
    let out = rota(
        dir,
        &[
            "gen",
            "--seed",
            "3",
            "--staff",
            "60",
            "--out",
            "city.json",
            "--planted",
            "planted.json",
        ],
    );
    assert_exit(&out, 0, "rota gen");
    let planted = parse(&dir.read("planted.json"), "planted.json");
    let planted = planted.as_array().expect("planted.json is a list").clone();
    assert!(!planted.is_empty(), "nothing planted in the small city");
    planted
}

/// `rota gen --seed SEED --staff 120 --planted-per-rule 0 --out city.json` in `dir`: a city with
/// no planted violation, for the solvers.
fn gen_clean_city(dir: &TempDir, seed: &str) {
    let out = rota(
        dir,
        &[
            "gen",
            "--seed",
            seed,
            "--staff",
            "120",
            "--planted-per-rule",
            "0",
            "--out",
            "city.json",
        ],
    );
    assert_exit(&out, 0, "rota gen");
}

/// Whether a violation of the JSON report is the planted one: same rule and date, and the same
/// staff member (or, for a violation about a unit, the same unit and no staff member).
fn matches(v: &Value, p: &Value) -> bool {
    let same = |k: &str| v.get(k).unwrap_or(&Value::Null) == p.get(k).unwrap_or(&Value::Null);
    same("rule")
        && same("date")
        && if p["staff"].is_null() {
            v.get("staff").is_none() && same("unit")
        } else {
            same("staff")
        }
}

/// `rota check` on a generated city with planted violations exits 1 and lists the violations by
/// rule in text: one line per rule with as many as were planted of it.
#[test]
fn check_of_a_city_with_violations_exits_1_and_counts_them_by_rule() {
    let dir = TempDir::new("check-text");
    let planted = gen_small_city(&dir);
    let out = rota(&dir, &["check", "city.json"]);
    assert_exit(&out, 1, "rota check city.json");
    let text = stdout(&out);
    assert!(
        text.contains(&format!("{} violation(s)", planted.len())),
        "{text}"
    );
    let by_rule: Vec<(&str, usize)> = text
        .lines()
        .skip_while(|l| !l.starts_with("By rule:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.split_whitespace();
            let rule = parts.next().expect("rule name");
            let n = parts.next().and_then(|n| n.parse().ok()).expect("count");
            (rule, n)
        })
        .collect();
    assert!(!by_rule.is_empty(), "no 'By rule:' section:\n{text}");
    let mut expected: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in &planted {
        *expected
            .entry(p["rule"].as_str().expect("rule"))
            .or_default() += 1;
    }
    let got: std::collections::BTreeMap<&str, usize> = by_rule.into_iter().collect();
    assert_eq!(got, expected, "{text}");
}

/// `rota check --format json` prints a report that parses as JSON, whose summary counts every
/// violation, and in which each planted violation appears (and nothing else).
#[test]
fn check_in_json_reports_exactly_the_planted_violations() {
    let dir = TempDir::new("check-json");
    let planted = gen_small_city(&dir);
    let out = rota(&dir, &["check", "city.json", "--format", "json"]);
    assert_exit(&out, 1, "rota check --format json");
    let report = parse(&stdout(&out), "the JSON report");
    let violations = report["violations"].as_array().expect("violations list");
    assert_eq!(report["summary"]["total"], violations.len());
    assert_eq!(violations.len(), planted.len());
    for p in &planted {
        assert!(
            violations.iter().any(|v| matches(v, p)),
            "planted {p} not in the report"
        );
    }
    for v in violations {
        assert!(
            planted.iter().any(|p| matches(v, p)),
            "unplanted violation {v}"
        );
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

/// A clean city (generated by the library with nothing planted, written with `to_json`) checks
/// with exit 0 and says so, in text and in JSON.
#[test]
fn check_of_a_clean_city_exits_0() {
    let dir = TempDir::new("clean");
    let city = generate(&GenConfig {
        seed: 3,
        staff: 60,
        planted_per_rule: 0,
        ..GenConfig::default()
    });
    dir.write("clean.json", &city.snapshot.to_json());
    let out = rota(&dir, &["check", "clean.json"]);
    assert_exit(&out, 0, "rota check clean.json");
    assert!(stdout(&out).contains("No violations."), "{}", stdout(&out));
    let out = rota(&dir, &["check", "clean.json", "--format", "json"]);
    assert_exit(&out, 0, "rota check clean.json --format json");
    let report = parse(&stdout(&out), "the JSON report");
    assert_eq!(report["summary"]["total"], 0);
    assert_eq!(report["violations"], Value::Array(Vec::new()));
}

/// A snapshot that parses but refers to unknown ids exits 2, and every problem (not only the
/// first) is named by its field path on stderr, or in the JSON error list with `--format json`.
#[test]
fn check_of_a_snapshot_with_unknown_ids_exits_2_naming_the_fields() {
    let dir = TempDir::new("unknown-ids");
    gen_small_city(&dir);
    let mut city = parse(&dir.read("city.json"), "city.json");
    city["roster"][5]["staff"] = Value::from("NOBODY");
    city["roster"][7]["unit"] = Value::from("NOWHERE");
    dir.write("broken.json", &city.to_string());

    let out = rota(&dir, &["check", "broken.json"]);
    assert_exit(&out, 2, "rota check broken.json");
    let err = stderr(&out);
    assert!(err.contains("roster[5].staff"), "{err}");
    assert!(err.contains("roster[7].unit"), "{err}");
    assert!(err.contains("NOBODY") && err.contains("NOWHERE"), "{err}");
    assert!(
        stdout(&out).is_empty(),
        "a report was printed for unusable input"
    );

    let out = rota(&dir, &["check", "broken.json", "--format", "json"]);
    assert_exit(&out, 2, "rota check broken.json --format json");
    let body = parse(&stdout(&out), "the JSON error list");
    let paths: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors list")
        .iter()
        .filter_map(|e| e["path"].as_str())
        .collect();
    assert!(paths.contains(&"roster[5].staff"), "{paths:?}");
    assert!(paths.contains(&"roster[7].unit"), "{paths:?}");
}

/// Malformed JSON exits 2: a value of the wrong type is named by its field path, a truncated file
/// by its line and column, and a missing file says it cannot be read.
#[test]
fn check_of_malformed_json_exits_2_naming_where() {
    let dir = TempDir::new("malformed");
    gen_small_city(&dir);
    let text = dir.read("city.json");
    let mut city = parse(&text, "city.json");
    city["roster"][3]["overtime_minutes"] = Value::from("lots");
    dir.write("wrong-type.json", &city.to_string());
    let out = rota(&dir, &["check", "wrong-type.json"]);
    assert_exit(&out, 2, "rota check wrong-type.json");
    let err = stderr(&out);
    assert!(err.contains("roster[3].overtime_minutes"), "{err}");

    dir.write("truncated.json", &text[..text.len() / 2]);
    let out = rota(&dir, &["check", "truncated.json"]);
    assert_exit(&out, 2, "rota check truncated.json");
    let err = stderr(&out);
    assert!(err.contains("line") && err.contains("column"), "{err}");

    let out = rota(&dir, &["check", "missing.json"]);
    assert_exit(&out, 2, "rota check missing.json");
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));
}

/// `rota schema` prints a JSON Schema of the snapshot: valid JSON, a `$schema` key, and a
/// `roster` property among the snapshot's properties.
#[test]
fn schema_prints_a_json_schema_with_the_roster() {
    let dir = TempDir::new("schema");
    let out = rota(&dir, &["schema"]);
    assert_exit(&out, 0, "rota schema");
    let schema = parse(&stdout(&out), "the schema");
    assert!(
        schema["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("json-schema.org")),
        "no $schema"
    );
    let properties = schema["properties"].as_object().expect("properties");
    for key in [
        "roster",
        "staff",
        "organisation",
        "calendar",
        "leave",
        "demand",
    ] {
        assert!(properties.contains_key(key), "no {key} property");
    }
}

/// `rota demo` runs with no arguments, exits 0, and reports that the checker found every planted
/// violation and nothing else.
#[test]
fn demo_finds_all_planted_violations() {
    let dir = TempDir::new("demo");
    let out = rota(&dir, &["demo"]);
    assert_exit(&out, 0, "rota demo");
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("The generator planted"))
        .unwrap_or_else(|| panic!("no planted summary:\n{text}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(numbers.len(), 3, "{line}");
    let (planted, found, others) = (numbers[0], numbers[1], numbers[2]);
    assert!(planted > 0, "{line}");
    assert_eq!(found, planted, "{line}");
    assert_eq!(others, 0, "{line}");
    assert!(text.contains("By rule:"), "{text}");
    // The solver steps run in one process, one after the other (HiGHS keeps one scheduler per
    // process, so a thread count that changes between solves would fail the later ones).
    assert!(text.contains("Cover for that sick call"), "{text}");
    assert!(
        text.contains("proven"),
        "the demo's cover is proven optimal:\n{text}"
    );
    assert!(text.contains("rostered afresh"), "{text}");
    assert!(
        text.contains("stitched into one snapshot and checked once"),
        "{text}"
    );
    assert!(
        text.contains("the checker finds 0 violation(s) for the unit and its staff"),
        "{text}"
    );
    assert!(!text.contains("failed"), "{text}");
}

/// `rota cover` over the CLI: a sick call is covered (exit 0), the CSV lists the change, `--out`
/// writes a snapshot the checker finds no new violation in; a bad absence exits 2 naming it.
#[test]
fn cover_plans_a_sick_call_and_writes_the_snapshot() {
    let dir = TempDir::new("cover");
    gen_clean_city(&dir, "4");
    let city: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("city.json")).unwrap())
            .unwrap();
    let entry = city["roster"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["shift"] == "nursery_middle" && e["date"].as_str().unwrap() >= "2026-06-01")
        .expect("a nursery shift in June");
    let absent = format!(
        "{}:{}",
        entry["staff"].as_str().unwrap(),
        entry["date"].as_str().unwrap()
    );
    let out = rota(
        &dir,
        &[
            "cover",
            "city.json",
            "--absent",
            &absent,
            "--format",
            "csv",
            "--out",
            "after.json",
        ],
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("date,staff,from_unit,from_shift,to_unit,to_shift,distance,reason"),
        "{text}"
    );
    assert!(text.contains(",absent"), "{text}");
    let code = out.status.code();
    assert!(
        code == Some(0) || code == Some(1),
        "exit {code:?}: {}",
        stderr(&out)
    );
    if code == Some(0) {
        let out = rota(&dir, &["check", "after.json"]);
        assert_exit(
            &out,
            0,
            "rota check of the covered snapshot (the city had no planted violation)",
        );
    }
    // Recorded as the leave it is: a week of annual leave, with its own prices.
    let week = format!(
        "{}:{}:{}:annual",
        entry["staff"].as_str().unwrap(),
        entry["date"].as_str().unwrap(),
        entry["date"].as_str().unwrap()
    );
    let out = rota(
        &dir,
        &[
            "cover",
            "city.json",
            "--absent",
            &week,
            "--load-step",
            "25",
            "--uncovered-weight",
            "5000",
            "--out",
            "annual.json",
        ],
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let annual = parse(&dir.read("annual.json"), "annual.json");
    assert!(
        annual["leave"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["staff"] == entry["staff"]
                && l["kind"] == "annual"
                && l["from"] == entry["date"]),
        "the absence is on record as annual leave"
    );
    for (args, says) in [
        (vec!["--absent", "E000001:2026-06-03:holiday"], "holiday"),
        (
            vec!["--absent", &absent, "--add-weight", "-3"],
            "--add-weight",
        ),
        (
            vec!["--absent", &absent, "--load-step", "-1"],
            "--load-step",
        ),
    ] {
        let mut all = vec!["cover", "city.json"];
        all.extend(args);
        let out = rota(&dir, &all);
        assert_exit(&out, 2, says);
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    let out = rota(
        &dir,
        &["cover", "city.json", "--absent", "nobody:2026-06-03"],
    );
    assert_exit(&out, 2, "rota cover with an unknown staff member");
    assert!(
        stderr(&out).contains("absences[0].staff"),
        "{}",
        stderr(&out)
    );
}

/// `rota gen` with the same seed twice writes identical files, which are exactly the library's
/// `to_json` of the same config; another seed writes a different city.
#[test]
fn gen_is_deterministic_across_runs() {
    let dir = TempDir::new("determinism");
    for (out, planted, seed) in [
        ("a.json", "pa.json", "5"),
        ("b.json", "pb.json", "5"),
        ("c.json", "pc.json", "6"),
    ] {
        let o = rota(
            &dir,
            &[
                "gen",
                "--seed",
                seed,
                "--staff",
                "40",
                "--out",
                out,
                "--planted",
                planted,
            ],
        );
        assert_exit(&o, 0, "rota gen");
    }
    let a = dir.read("a.json");
    assert!(a == dir.read("b.json"), "same seed, different snapshots");
    assert_eq!(dir.read("pa.json"), dir.read("pb.json"));
    assert!(a != dir.read("c.json"), "another seed, same snapshot");
    let library = generate(&GenConfig {
        seed: 5,
        staff: 40,
        ..GenConfig::default()
    });
    assert!(
        a == library.snapshot.to_json(),
        "the CLI and the library disagree"
    );
}

/// `rota roster city.json --unit U`: the year re-rostered writes a snapshot the checker finds
/// clean (the city had no planted violation), with the summary on standard error; a window with
/// its own weights keeps the other days; bad weights, an unknown unit and a window outside the
/// horizon exit 2 naming what is wrong.
#[test]
fn roster_rosters_a_facility_and_writes_the_snapshot() {
    let dir = TempDir::new("roster");
    gen_clean_city(&dir, "5");
    let city = parse(&dir.read("city.json"), "city.json");
    let unit = city["organisation"]["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["shift_run"] == true)
        .expect("a facility")["id"]
        .as_str()
        .expect("id")
        .to_string();

    let out = rota(
        &dir,
        &[
            "roster",
            "city.json",
            "--unit",
            &unit,
            "--time-limit",
            "20",
            "--out",
            "year.json",
        ],
    );
    assert_exit(&out, 0, "rota roster");
    let summary = stderr(&out);
    assert!(
        summary.contains("checker on the result, for this unit and its staff: 0 violations"),
        "{summary}"
    );
    assert_exit(
        &rota(&dir, &["check", "year.json"]),
        0,
        "rota check of the rostered year",
    );

    let out = rota(
        &dir,
        &[
            "roster",
            "city.json",
            "--unit",
            &unit,
            "--from",
            "2026-07-01",
            "--to",
            "2026-07-10",
            "--under-weight",
            "500",
            "--format",
            "json",
            "--out",
            "july.json",
        ],
    );
    assert_exit(&out, 0, "rota roster of a window");
    let summary = parse(&stderr(&out), "the JSON summary");
    assert_eq!(summary["facilities"][0]["status"], "optimal", "{summary}");
    assert_eq!(summary["facilities"][0]["unit"], unit.as_str());
    let july = parse(&dir.read("july.json"), "july.json");
    let outside = |c: &Value| -> Vec<String> {
        let mut entries: Vec<String> = c["roster"]
            .as_array()
            .expect("roster")
            .iter()
            .filter(|e| {
                let d = e["date"].as_str().unwrap_or_default();
                !("2026-07-01"..="2026-07-10").contains(&d)
            })
            .map(Value::to_string)
            .collect();
        entries.sort();
        entries
    };
    let (before, after) = (outside(&city), outside(&july));
    assert!(
        before == after,
        "only the window changes: {} entries outside it before, {} after",
        before.len(),
        after.len()
    );

    for (args, says) in [
        (vec!["--over-weight", "-1"], "--over-weight"),
        (vec!["--under-weight", "2000000"], "--under-weight"),
        (vec!["--from", "2031-01-01"], "from: 2031-01-01 is outside"),
    ] {
        let mut all = vec!["roster", "city.json", "--unit", unit.as_str()];
        all.extend(args);
        let out = rota(&dir, &all);
        assert_exit(&out, 2, says);
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    let out = rota(&dir, &["roster", "city.json", "--unit", "U99999"]);
    assert_exit(&out, 2, "an unknown unit");
    assert!(
        stderr(&out).contains("--unit U99999: no unit"),
        "{}",
        stderr(&out)
    );

    // The whole city's fortnight at once: one summary per facility and a total, and a snapshot
    // the checker finds clean (nobody booked twice, no rule broken).
    let out = rota(
        &dir,
        &[
            "roster",
            "city.json",
            "--all-units",
            "--from",
            "2026-07-06",
            "--to",
            "2026-07-19",
            "--out",
            "fortnight.json",
        ],
    );
    assert_exit(&out, 0, "rota roster --all-units");
    assert!(
        stderr(&out).contains(" facilities: penalty "),
        "{}",
        stderr(&out)
    );
    assert_exit(
        &rota(&dir, &["check", "fortnight.json"]),
        0,
        "rota check of the city's fortnight",
    );
}

/// `rota roster --curtois Instance1.txt` writes the roster in the benchmark's layout and proves
/// it optimal at the published 607; a broken file exits 2 with its line number.
#[test]
fn roster_solves_a_curtois_instance() {
    let dir = TempDir::new("curtois");
    let instance = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/benchmarks/curtois/Instance1.txt"
    );
    let out = rota(
        &dir,
        &[
            "roster",
            "--curtois",
            instance,
            "--time-limit",
            "60",
            "--format",
            "json",
            "--out",
            "roster.txt",
        ],
    );
    assert_exit(&out, 0, "rota roster --curtois");
    let summary = parse(&stderr(&out), "the JSON summary");
    assert_eq!(summary["penalty"], 607, "{summary}");
    assert_eq!(summary["status"], "optimal", "{summary}");
    assert!(!dir.read("roster.txt").is_empty());

    let text = std::fs::read_to_string(instance).expect("Instance1.txt");
    let (line, horizon) = text
        .lines()
        .enumerate()
        .skip_while(|(_, l)| l.trim() != "SECTION_HORIZON")
        .find(|(_, l)| l.trim().parse::<u32>().is_ok())
        .expect("the horizon line");
    let broken = text.replacen(horizon, "fourteen", 1);
    std::fs::write(dir.path().join("broken.txt"), broken).expect("write");
    let out = rota(&dir, &["roster", "--curtois", "broken.txt"]);
    assert_exit(&out, 2, "a broken instance");
    let said = format!("line {}", line + 1);
    assert!(stderr(&out).contains(&said), "{said}: {}", stderr(&out));
}
