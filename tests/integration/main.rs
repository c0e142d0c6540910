//! The integration tests, one module per feature.

mod serve;
