//! Decides whether two tracks are the same recording, and ranks search candidates
