//! A wrapper that enforces declared capabilities (OpenDAL's correctness
//! check layer): a call the service did not declare fails here, uniformly,
//! before any request is made. Reaching it is a bug in the caller.

use crate::service::{unsupported, write_refused};
use crate::{
    Capabilities, Playlist, PlaylistEntry, PlaylistId, Progress, Service, ServiceError,
    ServiceKind, Track,
};
use async_trait::async_trait;
use std::sync::Arc;

/// Wraps a service and refuses calls outside its capabilities.
pub struct Checked<S>(pub S);

impl<S: Service> Checked<S> {
    /// Refuses an add the service did not declare, or a batch larger than
    /// it takes in one call.
    fn check_add(&self, count: usize) -> Result<(), ServiceError> {
        let caps = self.capabilities();
        if !caps.add_tracks {
            return Err(write_refused(self.kind(), caps, "adding tracks"));
        }
        if let Some(max) = caps.add_max_batch
            && count > max
        {
            return Err(unsupported(
                self.kind(),
                &format!("adding {count} tracks in one call (at most {max})"),
            ));
        }
        Ok(())
    }
}

#[async_trait]
impl<S: Service> Service for Checked<S> {
    fn kind(&self) -> ServiceKind {
        self.0.kind()
    }

    fn capabilities(&self) -> Capabilities {
        self.0.capabilities()
    }

    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        if !self.capabilities().read_playlists {
            return Err(unsupported(self.kind(), "listing playlists"));
        }
        self.0.playlists().await
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        if !self.capabilities().read_tracks {
            return Err(unsupported(self.kind(), "reading tracks"));
        }
        self.0.tracks(playlist, progress).await
    }

    async fn revision(&self, playlist: &PlaylistId) -> Option<String> {
        self.0.revision(playlist).await
    }

    async fn search(&self, track: &Track) -> Result<Vec<Track>, ServiceError> {
        if !self.capabilities().search {
            return Err(unsupported(self.kind(), "searching"));
        }
        self.0.search(track).await
    }

    async fn add(&self, playlist: &PlaylistId, tracks: &[Track]) -> Result<(), ServiceError> {
        self.check_add(tracks.len())?;
        self.0.add(playlist, tracks).await
    }

    async fn add_shared(
        &self,
        playlist: &PlaylistId,
        tracks: &[Arc<Track>],
    ) -> Result<(), ServiceError> {
        self.check_add(tracks.len())?;
        self.0.add_shared(playlist, tracks).await
    }

    async fn remove(
        &self,
        playlist: &PlaylistId,
        entries: &[PlaylistEntry],
    ) -> Result<(), ServiceError> {
        let caps = self.capabilities();
        if !caps.remove_tracks {
            return Err(write_refused(self.kind(), caps, "removing tracks"));
        }
        if let Some(max) = caps.remove_max_batch
            && entries.len() > max
        {
            return Err(unsupported(
                self.kind(),
                &format!(
                    "removing {} tracks in one call (at most {max})",
                    entries.len()
                ),
            ));
        }
        self.0.remove(playlist, entries).await
    }

    async fn create_playlist(&self, name: &str) -> Result<Playlist, ServiceError> {
        if !self.capabilities().create_playlist {
            return Err(write_refused(
                self.kind(),
                self.capabilities(),
                "creating a playlist",
            ));
        }
        self.0.create_playlist(name).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorKind, NoProgress};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A read-only service that counts every call reaching it.
    struct ReadOnly(AtomicUsize);

    #[async_trait]
    impl Service for ReadOnly {
        fn kind(&self) -> ServiceKind {
            ServiceKind::new("amazon", "Amazon Music")
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities {
                read_playlists: true,
                read_tracks: true,
                ..Default::default()
            }
        }
        async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(vec![])
        }
        async fn tracks(
            &self,
            _: &PlaylistId,
            _: &dyn Progress,
        ) -> Result<Vec<Track>, ServiceError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(vec![])
        }
        async fn add(&self, _: &PlaylistId, _: &[Track]) -> Result<(), ServiceError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }

    #[tokio::test]
    async fn writes_into_a_read_only_service_never_reach_it() {
        let svc = Checked(ReadOnly(AtomicUsize::new(0)));
        let err = svc
            .add(&PlaylistId::new("my-music"), &[Track::new("t", "a")])
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unsupported);
        assert!(
            err.to_string()
                .contains("Amazon Music is read-only in musync")
        );
        assert_eq!(svc.0.0.load(Ordering::SeqCst), 0);
        // Shared tracks pass the same gate.
        let err = svc
            .add_shared(
                &PlaylistId::new("my-music"),
                &[Arc::new(Track::new("t", "a"))],
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(svc.0.0.load(Ordering::SeqCst), 0);
        let entry = PlaylistEntry {
            position: 0,
            track: Track::new("t", "a"),
        };
        let err = svc
            .remove(&PlaylistId::new("my-music"), &[entry])
            .await
            .unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(svc.0.0.load(Ordering::SeqCst), 0);
        svc.tracks(&PlaylistId::new("x"), &NoProgress)
            .await
            .unwrap();
        assert_eq!(svc.0.0.load(Ordering::SeqCst), 1);
    }
}
