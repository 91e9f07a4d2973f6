//! The GraphQL surface against the fake's GraphQL host: exact reads with
//! ISRCs, server-chosen page sizes, paging traps, expiry and renewal, the
//! fallback between surfaces and its per-account memory, and every region
//! family. Every test ends by checking that only reads were sent.

use crate::util::{
    Env, Recorder, assert_read_only, expected_all, expected_gql_all, fast, fast_both,
};
use fake_amazon::{FakeAmazon, Library, Market, Mode};
use musync_amazon::{AmazonService, ClientOptions, TransportMode, market_host, parse_cookies_txt};
use musync_core::{ErrorKind, NoProgress, PlaylistId, SecretStore, Service};
use std::sync::atomic::Ordering;
use std::time::Duration;

fn my_music() -> PlaylistId {
    PlaylistId::new("my-music")
}

fn gql_ops(fake: &FakeAmazon) -> Vec<String> {
    fake.requests()
        .iter()
        .filter_map(|r| r.operation())
        .collect()
}

fn both(env: &Env) -> AmazonService {
    env.service_with(fast_both(&env.fake, TransportMode::Direct))
}

fn stored(env: &Env, key: &str) -> Option<String> {
    env.store
        .get(&env.account.id, key)
        .unwrap()
        .map(|s| s.expose().to_owned())
}

#[tokio::test]
async fn graphql_reads_everything_exactly_with_isrcs_in_small_server_pages() {
    let env = Env::start(Library::sample()).await;
    let svc = both(&env);
    let lib = env.fake.library();
    let lists = svc.playlists().await.unwrap();
    assert_eq!(lists.len(), lib.playlists.len() + 1);
    for (got, want) in lists[1..].iter().zip(&lib.playlists) {
        assert_eq!(
            (got.id.as_str(), got.name.as_str()),
            (want.id.as_str(), want.title.as_str())
        );
        assert_eq!(got.track_count, Some(want.tracks.len() as u64));
        let tracks = svc.tracks(&got.id, &NoProgress).await.unwrap();
        assert_eq!(tracks, expected_gql_all(&want.tracks), "{}", want.title);
    }
    let progress = Recorder::default();
    let mine = svc.tracks(&my_music(), &progress).await.unwrap();
    let want = expected_gql_all(lib.available_tracks());
    assert_eq!(mine, want);
    assert!(mine.iter().filter(|t| t.isrc.is_some()).count() > want.len() * 9 / 10);
    assert_eq!(progress.done.load(Ordering::SeqCst), want.len() as u64);
    // The server sends 37 per page although 100 are asked for.
    let library_pages = gql_ops(&env.fake)
        .iter()
        .filter(|o| *o == "LibraryTracks")
        .count();
    assert_eq!(library_pages, want.len().div_ceil(37));
    let asked: Vec<u64> = env
        .fake
        .requests()
        .iter()
        .filter(|r| r.operation().is_some())
        .map(|r| r.json()["variables"]["limit"].as_u64().unwrap())
        .collect();
    assert!(asked.iter().all(|l| *l == 100), "{asked:?}");
    // No legacy call at all, and what worked is remembered.
    assert!(env.api_requests().is_empty());
    assert_eq!(stored(&env, "surface").as_deref(), Some("graphql"));
    assert_eq!(stored(&env, "graphqlApiKey"), Some(env.fake.api_key()));
    assert_read_only(&env.fake);
}

#[tokio::test]
async fn graphql_requests_carry_the_amznmusic_authorization_and_the_pages_key() {
    let env = Env::start(Library::sample()).await;
    both(&env).playlists().await.unwrap();
    let reqs = env.fake.requests();
    let gql: Vec<_> = reqs.iter().filter(|r| r.operation().is_some()).collect();
    assert!(!gql.is_empty());
    for r in gql {
        assert_eq!(r.method, "POST");
        assert_eq!(r.header("x-api-key"), Some(env.fake.api_key().as_str()));
        assert!(r.header("authorization").unwrap().starts_with("AmznMusic "));
        assert_eq!(r.header("device-type"), Some(FakeAmazon::DEVICE_TYPE));
        assert_eq!(r.header("music-territory"), Some("GB"));
        assert!(r.header("cookie").is_none(), "GraphQL needs no cookies");
    }
    // The key came from the page's bundle, fetched once.
    let bundle = reqs
        .iter()
        .filter(|r| r.path == "/assets/hornet.js")
        .count();
    assert_eq!(bundle, 1);
    // A second run uses the remembered key: no page fetch.
    env.fake.clear_requests();
    both(&env).playlists().await.unwrap();
    assert!(
        env.fake
            .requests()
            .iter()
            .all(|r| r.origin == "graphql" || (r.path != "/" && r.path != "/assets/hornet.js"))
    );
}

#[tokio::test]
async fn with_the_legacy_surface_gone_graphql_reads_and_is_remembered() {
    let env = Env::start(Library::sample()).await;
    env.store
        .set(
            &env.account.id,
            "surface",
            &musync_core::Secret::new("legacy"),
        )
        .unwrap();
    env.fake.set_mode(Mode::LegacyGone);
    let svc = both(&env);
    let mine = svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(
        mine,
        expected_gql_all(env.fake.library().available_tracks())
    );
    assert_eq!(stored(&env, "surface").as_deref(), Some("graphql"));
    // One refused legacy call, then GraphQL only.
    assert_eq!(env.api_requests().len(), 1);
    env.fake.clear_requests();
    svc.playlists().await.unwrap();
    assert!(env.api_requests().is_empty(), "learnt within the run too");
    assert_read_only(&env.fake);
}

#[tokio::test]
async fn with_graphql_gone_the_legacy_surface_reads_and_is_remembered() {
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::GraphqlGone);
    let mine = both(&env).tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(mine, expected_all(env.fake.library().available_tracks()));
    assert_eq!(stored(&env, "surface").as_deref(), Some("legacy"));
    // The next run goes to legacy directly.
    env.fake.clear_requests();
    let lists = both(&env).playlists().await.unwrap();
    assert_eq!(lists.len(), env.fake.library().playlists.len() + 1);
    assert!(gql_ops(&env.fake).is_empty());
    assert_read_only(&env.fake);
}

#[tokio::test]
async fn an_expired_session_on_graphql_asks_to_sign_in_again_without_switching() {
    for status in [401, 200] {
        let env = Env::start(Library::sample()).await;
        env.fake.set_graphql_expired_status(status);
        let svc = both(&env);
        svc.playlists().await.unwrap();
        env.fake.set_mode(Mode::Expired { status: 401 });
        let err = svc.tracks(&my_music(), &NoProgress).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::AuthExpired, "{err}");
        assert!(err.message.contains("sign in again"), "{err}");
        assert!(
            env.api_requests().is_empty(),
            "expiry is not a reason to switch surfaces"
        );
        assert_read_only(&env.fake);
    }
}

#[tokio::test]
async fn access_tokens_are_renewed_before_they_expire_during_a_long_read() {
    let env = Env::start(Library::generated(1500)).await;
    env.fake
        .set_access_token_lifetime(Some(Duration::from_millis(900)));
    env.fake.set_latency(Some(Duration::from_millis(25)));
    let svc = env.service_with(ClientOptions {
        renew_after: Duration::from_millis(400),
        ..fast_both(&env.fake, TransportMode::Direct)
    });
    let mine = svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(
        mine,
        expected_gql_all(env.fake.library().available_tracks())
    );
    let configs = env
        .fake
        .requests()
        .iter()
        .filter(|r| r.path == "/config.json")
        .count();
    // ~40 pages at ≥25 ms: more than a second, several renewals.
    assert!(configs >= 3, "renewed {configs} times");
    assert_read_only(&env.fake);
}

#[tokio::test]
async fn a_graphql_token_that_does_not_advance_is_an_error() {
    let env = Env::start(Library::generated(200)).await;
    env.fake.set_mode(Mode::RepeatedToken);
    let err = env
        .service_with(ClientOptions {
            surface: Some(musync_amazon::Surface::Graphql),
            ..fast_both(&env.fake, TransportMode::Direct)
        })
        .tracks(&my_music(), &NoProgress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Protocol);
    assert!(err.message.contains("did not advance"), "{err}");
}

#[tokio::test]
async fn graphql_schema_drift_is_reported_not_read_as_empty() {
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::SchemaDrift);
    let err = both(&env)
        .tracks(&my_music(), &NoProgress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Protocol);
    assert!(err.message.contains("has no `id`"), "{err}");
    assert!(err.message.contains("check for a musync update"), "{err}");
}

#[tokio::test]
async fn rate_limits_and_outages_on_graphql_are_retried() {
    let env = Env::start(Library::sample()).await;
    let svc = both(&env);
    svc.playlists().await.unwrap();
    env.fake.set_mode(Mode::ServerError {
        requests: 2,
        status: 503,
    });
    let mine = svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(mine.len(), env.fake.library().available_tracks().len());
    env.fake.set_mode(Mode::RateLimited {
        requests: 1,
        retry_after_s: 1,
    });
    let again = svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(again, mine);
    assert_read_only(&env.fake);
}

/// One region family: the market from the cookie names, the region prefix
/// on legacy calls, the territory on GraphQL calls, exact reads on both.
async fn region_family(market: Market, music_host: &str, region: &str) {
    let mut lib = Library::sample();
    lib.market = market.clone();
    let env = Env::start(lib).await;
    let cookies = parse_cookies_txt(&env.fake.cookies_txt("127.0.0.1")).unwrap();
    assert_eq!(market_host(&cookies).as_deref(), Some(music_host));
    let want = expected_gql_all(env.fake.library().available_tracks());
    assert_eq!(
        both(&env).tracks(&my_music(), &NoProgress).await.unwrap(),
        want
    );
    let territory: Vec<_> = env
        .fake
        .requests()
        .iter()
        .filter(|r| r.operation().is_some())
        .map(|r| r.header("music-territory").unwrap_or("").to_owned())
        .collect();
    assert!(
        territory.iter().all(|t| *t == market.territory),
        "{territory:?}"
    );
    env.fake.clear_requests();
    let legacy = env
        .service_with(fast())
        .tracks(&my_music(), &NoProgress)
        .await
        .unwrap();
    assert_eq!(legacy, expected_all(env.fake.library().available_tracks()));
    let paths: Vec<String> = env.api_requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        paths
            .iter()
            .all(|p| *p == format!("/{region}/api/cirrus/v3/")),
        "{paths:?}"
    );
    assert_read_only(&env.fake);
}

#[tokio::test]
async fn north_america_reads_from_its_market() {
    region_family(Market::us(), "https://music.amazon.com", "NA").await;
}

#[tokio::test]
async fn europe_reads_from_its_market() {
    region_family(Market::de(), "https://music.amazon.de", "EU").await;
}

#[tokio::test]
async fn japan_reads_from_its_market() {
    region_family(Market::jp(), "https://music.amazon.co.jp", "FE").await;
}

#[tokio::test]
async fn a_remembered_key_from_an_older_player_is_looked_up_again() {
    let env = Env::start(Library::sample()).await;
    let stale = format!("amzn1.application.{}", "0".repeat(32));
    env.store
        .set(
            &env.account.id,
            "graphqlApiKey",
            &musync_core::Secret::new(&stale),
        )
        .unwrap();
    let lists = both(&env).playlists().await.unwrap();
    assert_eq!(lists.len(), env.fake.library().playlists.len() + 1);
    assert_eq!(stored(&env, "graphqlApiKey"), Some(env.fake.api_key()));
    assert_eq!(stored(&env, "surface").as_deref(), Some("graphql"));
    assert!(
        env.api_requests().is_empty(),
        "no fallback to legacy was needed"
    );
    assert_read_only(&env.fake);
}

#[tokio::test]
async fn a_refused_key_in_auto_mode_neither_renews_nor_starts_a_browser() {
    let env = Env::start(Library::sample()).await;
    let stale = format!("amzn1.application.{}", "0".repeat(32));
    env.store
        .set(
            &env.account.id,
            "graphqlApiKey",
            &musync_core::Secret::new(&stale),
        )
        .unwrap();
    both_auto(&env).playlists().await.unwrap();
    let reqs = env.fake.requests();
    assert!(reqs.iter().all(|r| {
        !r.header("user-agent")
            .unwrap_or("")
            .contains("HeadlessChrome")
    }));
    let configs = reqs.iter().filter(|r| r.path == "/config.json").count();
    assert_eq!(
        configs, 1,
        "only the token renewal before the first GraphQL call"
    );
}

fn both_auto(env: &Env) -> AmazonService {
    env.service_with(fast_both(&env.fake, TransportMode::Auto))
}

#[tokio::test]
async fn a_host_that_is_not_amazons_reads_legacy_unless_given_a_graphql_address() {
    // The fake (like a proxy) is not music.amazon.*: its GraphQL address
    // cannot be guessed, so nothing goes to Amazon's real GraphQL host.
    let env = Env::start(Library::sample()).await;
    let svc = env.service_with(ClientOptions {
        surface: None,
        ..fast()
    });
    let mine = svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(mine, expected_all(env.fake.library().available_tracks()));
    assert!(gql_ops(&env.fake).is_empty());
    assert!(
        env.fake
            .requests()
            .iter()
            .all(|r| r.path != "/assets/hornet.js")
    );
}
