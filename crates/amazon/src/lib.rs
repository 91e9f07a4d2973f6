//! Amazon Music (read-only) through its web player's private API
