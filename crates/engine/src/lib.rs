//! The sync engine: diff, search and rank, plan, apply
