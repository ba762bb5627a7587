//! Haven's security primitives, free of storage and HTTP so they can be tested alone:
//! password policy and hashing, TOTP second factors, random tokens and recovery codes, and the
//! tamper-evident audit chain.
//!
//! Randomness comes from the operating system (`OsRng`) everywhere a secret is made; time is
//! always a parameter.

pub mod audit_chain;
pub mod password;
pub mod recovery;
pub mod seal;
pub mod token;
pub mod totp;
