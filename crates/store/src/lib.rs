//! musync state: SQLite (accounts, decisions, sync journal, run history) and secret storage
