//! The registry of musync services: opens an account's service with its secrets
