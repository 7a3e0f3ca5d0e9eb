//! Demo data (`credit-api seed-demo`): units, one account per role and level, records, all flagged demo.

pub mod agreements;
pub mod codes;
pub mod content;
pub mod names;
pub mod objections;
pub mod rng;
pub mod seed;

pub use seed::{
    existing, guide, seed, seed_if_empty, Existing, SeedArgs, SeedError, Summary, DEFAULT_RECORDS, DEFAULT_SEED,
    DEMO_PASSWORD,
};
