//! A stateful fake of the Spotify Web API and accounts service, for tests and demo mode
