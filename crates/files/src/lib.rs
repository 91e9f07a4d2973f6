//! Local playlist files (M3U8, XSPF, CSV, JSON) as a musync service
