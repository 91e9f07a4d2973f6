//! Spotify playlists and Liked Songs, with OAuth PKCE sign-in
