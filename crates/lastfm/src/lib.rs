//! Last.fm loved tracks (read and write) and recent tracks (read)
