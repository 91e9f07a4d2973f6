//! The local web wizard (musync ui)
