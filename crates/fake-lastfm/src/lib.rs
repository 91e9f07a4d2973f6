//! A stateful fake of the Last.fm API, for tests and demo mode
