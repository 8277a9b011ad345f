//! Keeps README.md honest: its example snapshot loads and gives the violation the README promises,
//! and it still opens with the two set-up commands.

use rota::model::Snapshot;
use rota::rules::{check, RuleId};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable")
}

/// The README's JSON example: a nurse from a 22:00 finish to a 07:30 start breaks the rest interval once.
#[test]
fn readme_example_snapshot_breaks_the_rest_interval_once() {
    let text = readme();
    let start = text.find("```json\n").expect("README has a JSON example") + "```json\n".len();
    let end = start
        + text[start..]
            .find("```")
            .expect("the JSON example is closed");
    let model = Snapshot::from_json(&text[start..end])
        .and_then(|s| s.into_model())
        .expect("the example loads");
    let report = check(&model);
    assert_eq!(report.violations.len(), 1, "{:#?}", report.violations);
    let v = &report.violations[0];
    assert_eq!(v.rule, RuleId::RestInterval);
    assert_eq!(v.staff.as_ref().map(|s| s.as_str()), Some("E1"));
    assert_eq!(v.date.to_string(), "2026-06-03");
    assert_eq!((v.measured, v.limit), (9 * 60 + 30, 11 * 60));
}

/// The first code block holds the two commands: run the main job, run the tests.
#[test]
fn readme_opens_with_the_two_commands() {
    let text = readme();
    let start = text.find("```").expect("a code block") + 3;
    let block = &text[start..start + text[start..].find("```").expect("closed")];
    assert!(block.contains("cargo run --release -- demo"), "{block}");
    assert!(block.contains("cargo test"), "{block}");
}
