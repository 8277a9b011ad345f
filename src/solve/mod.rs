//! The problems solved on the model. Every solver's output is re-checked by [`crate::rules`] in
//! tests, so a solver can never quietly disagree with the checker.
//!
//! - [`recommend`]: the best replacements for one absence, from the checker's per-staff rules.

pub mod recommend;
