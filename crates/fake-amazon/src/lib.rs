//! A stateful fake of Amazon Music's web player API, for tests and demo mode
