//! Saving a pair for `musync run`: the one place `musync pairs add` and the
//! wizard's "Save this sync" check a name, refuse a duplicate, open both
//! sides (so a typo fails now, not at 3 a.m. in cron) and store the pair
//! under the sides' stable references.

use crate::saved::now_ms;
use crate::{Direction, Opener, Removals, Role, Side, SideName, direction_word};
use musync_core::ServiceError;
use musync_store::{SavedPair, Store, StoreError, StoreErrorKind};

/// A pair to save, as a person gave it.
#[derive(Clone, Debug)]
pub struct NewPair<'a> {
    /// The name `musync run NAME` uses.
    pub name: &'a str,
    /// Left reference (`ACCOUNT:PLAYLIST`, a share link or a file).
    pub left: &'a str,
    /// Right reference.
    pub right: &'a str,
    /// Which way songs flow.
    pub direction: Direction,
    /// What a removal on one side does.
    pub removals: Removals,
}

/// Why a pair was not saved; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The name cannot be typed or used in a file name.
    #[error("the pair name `{name}` {why}")]
    BadName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A pair of that name exists.
    #[error("a saved sync named '{0}' already exists")]
    Exists(String),
    /// Both references name one playlist.
    #[error("both sides are the same playlist ({0}); a saved sync needs two")]
    SameSides(String),
    /// A side could not be opened.
    #[error(transparent)]
    Side(#[from] ServiceError),
    /// The state database failed.
    #[error(transparent)]
    Store(StoreError),
}

/// Checks a pair name: one people can type and a file can be named after.
pub fn check_pair_name(name: &str) -> Result<(), SaveError> {
    let why = if name.trim().is_empty() {
        "is empty"
    } else if name.chars().count() > 64 {
        "is longer than 64 characters"
    } else if name.chars().any(char::is_control) {
        "contains control characters"
    } else if name.trim() != name {
        "starts or ends with a space"
    } else {
        return Ok(());
    };
    Err(SaveError::BadName {
        name: name.to_owned(),
        why,
    })
}

/// Saves `new`: checks the name, refuses a duplicate, opens both sides
/// (written sides as writers) and stores the pair. Returns the pair and
/// both opened sides (for their labels).
pub async fn save_pair(
    store: &Store,
    opener: &Opener,
    new: &NewPair<'_>,
) -> Result<(SavedPair, Side, Side), SaveError> {
    check_pair_name(new.name)?;
    let exists = |e: StoreError| match e.kind {
        StoreErrorKind::Exists => SaveError::Exists(new.name.to_owned()),
        _ => SaveError::Store(e),
    };
    if store.pair(new.name).map_err(exists)?.is_some() {
        return Err(SaveError::Exists(new.name.to_owned()));
    }
    let role = |from: SideName| {
        if new.direction.allows_from(from) {
            Role::Write
        } else {
            Role::Read
        }
    };
    let left = opener.side(store, new.left, role(SideName::Right)).await?;
    let right = opener.side(store, new.right, role(SideName::Left)).await?;
    if left.reference == right.reference {
        return Err(SaveError::SameSides(left.reference));
    }
    let pair = SavedPair {
        name: new.name.to_owned(),
        left: left.reference.clone(),
        right: right.reference.clone(),
        direction: direction_word(new.direction).to_owned(),
        removals: new.removals.as_str().to_owned(),
        created_ms: now_ms(),
        last_run_ms: None,
        last_result: None,
    };
    store.add_pair(&pair).map_err(exists)?;
    Ok((pair, left, right))
}

#[cfg(test)]
mod tests {
    use super::*;
    use musync_core::MemorySecretStore;
    use std::sync::Arc;

    fn opener() -> Opener {
        Opener::new(|| Arc::new(MemorySecretStore::new()))
    }

    async fn refused(store: &Store, new: &NewPair<'_>) -> SaveError {
        match save_pair(store, &opener(), new).await {
            Ok((pair, _, _)) => panic!("saved {}", pair.name),
            Err(e) => e,
        }
    }

    fn new<'a>(name: &'a str, left: &'a str, right: &'a str) -> NewPair<'a> {
        NewPair {
            name,
            left,
            right,
            direction: Direction::Both,
            removals: Removals::Keep,
        }
    }

    #[tokio::test]
    async fn a_pair_is_saved_once_under_its_references_and_bad_ones_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        let a = dir.path().join("a.m3u8");
        let b = dir.path().join("b.csv");
        std::fs::write(&a, "#EXTM3U\n").unwrap();
        let (a, b) = (a.display().to_string(), b.display().to_string());

        let (pair, _, right) = save_pair(&store, &opener(), &new("nightly", &a, &b))
            .await
            .unwrap();
        assert_eq!(
            (pair.left.as_str(), pair.right.as_str()),
            (a.as_str(), b.as_str())
        );
        assert_eq!(
            (pair.direction.as_str(), pair.removals.as_str()),
            ("both", "keep")
        );
        assert!(right.missing_file, "a written file may not exist yet");

        let dup = refused(&store, &new("nightly", &b, &a)).await;
        assert!(matches!(dup, SaveError::Exists(_)), "{dup}");
        assert!(
            dup.to_string().contains("'nightly' already exists"),
            "{dup}"
        );
        let same = refused(&store, &new("other", &a, &a)).await;
        assert!(same.to_string().contains("same playlist"), "{same}");
        for bad in ["", " x", "a\tb"] {
            let e = refused(&store, &new(bad, &a, &b)).await;
            assert!(matches!(e, SaveError::BadName { .. }), "{bad:?}: {e}");
        }
        let stored = store.pairs().unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].left, a, "the duplicate changed nothing");
    }
}
