//! # rota
//!
//! A workforce scheduling and leave-coverage engine for a city government (人事担当課): it checks
//! rosters against the city's rules, and (as the engine grows) covers absences, builds shift
//! rosters, proposes the April transfers and simulates what-if leave scenarios.
//!
//! ```
//! use rota::{gen::{generate, GenConfig}, rules::check};
//!
//! let city = generate(&GenConfig { staff: 60, seed: 7, ..GenConfig::default() });
//! let model = city.snapshot.into_model().expect("generated data is valid");
//! let report = check(&model);
//! assert_eq!(report.violations.len(), city.planted.len());
//! ```
//!
//! # Layout
//!
//! - [`model`]: the domain (organisation, staff, shifts, calendar, rules, demand, leave, roster),
//!   its validation with field paths, and [`model::Model`], the indexed form every problem uses.
//! - [`rules`]: the checker, one file per rule; the single referee of what a rule means.
//! - [`solve`]: the problems solved on the model (today: recommend a replacement).
//! - [`curtois`]: the Curtois–Qu staff-scheduling benchmark format, read into [`solve::problem`].
//! - [`gen`]: the deterministic synthetic whole-city generator.
//! - [`report`]: human-readable summaries for the command line.
//! - [`service`]: the gRPC API (`proto/rota/v1`): proto ↔ model conversion, one module per RPC,
//!   the bounded solve pool, the durable snapshot store, the server and the CLI's client.

#![deny(missing_docs)]
// Denied, not forbidden: `solve::interrupt` alone allows it, for HiGHS's interrupt callback.
#![deny(unsafe_code)]

pub mod curtois;
pub mod gen;
pub mod model;
pub mod report;

pub mod rules;
pub mod service;
pub mod solve;
