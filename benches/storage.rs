//! How much the database grows per 1,000 requests that were sent, closed and
//! purged (`cargo bench --bench storage`): what stays on disk once the women are
//! gone. Each round: 1,000 women send a request, staff take and close each,
//! retention purges them (and their conversations) a month later; after the
//! round, the sizes of the data folder and the keyring files. The first round
//! lets sled lay out its files; the growth is measured over the rounds after.
//!
//! Then the running bot's backup: how long store writes wait for its copy
//! with 1,000 and then 5,000 requests waiting (each with her conversation).
//!
//! `AKJ_BENCH_ROUNDS` rounds (default 5).

use std::path::Path;
use std::sync::Arc;

use ak_jurok::conversation::{Dialogue, Screen};
use ak_jurok::crypto::Keys;
use ak_jurok::domain::request::Resolution;
use ak_jurok::store::{Retention, Session, Store};
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::submission;

mod common;

const PER_ROUND: u64 = 1000;

/// Bytes the files under `path` take on disk (blocks, not lengths: sled's files
/// may be sparse).
fn on_disk(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.blocks() * 512;
    }
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| on_disk(&e.path()))
        .sum()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Woman `user` sends a request, with her conversation.
fn send(store: &Store, keys: &Keys, user: u64, now: DateTime<Utc>) {
    let who = keys.pseudonym(user);
    let dialogue = Dialogue {
        lang: "ru".into(),
        screen: Screen::MyRequest,
        updated_at: now,
        draft: None,
    };
    let mut links = Session::default();
    store
        .save(&who, &dialogue, &links, now)
        .expect("her conversation");
    store
        .enqueue(&who, user as i64, &submission(), &dialogue, &mut links, now)
        .expect("enqueue");
}

/// One round: sent, taken, closed, purged. Returns the time after it.
fn round(store: &Store, keys: &Keys, round: u64, start: DateTime<Utc>) -> DateTime<Utc> {
    let now = start;
    for n in 0..PER_ROUND {
        send(store, keys, 1_000_000 + round * PER_ROUND + n, now);
    }
    store.flush().expect("flush");
    while let Some(claimed) = store.claim_next("bench", now).expect("claim") {
        store
            .finish_claim(&claimed.record.id, "bench", Some(Resolution::Talked), now)
            .expect("close");
    }
    // A month later: the ended requests and the idle conversations go.
    let later = now + Duration::days(31);
    let keep = Retention {
        grace: Duration::days(30),
        idle: Duration::days(30),
        draft_ttl: Duration::hours(24),
        audit: Duration::days(30),
    };
    let report = store.purge(later, &keep).expect("purge");
    assert_eq!(report.requests, PER_ROUND as usize, "every request purged");
    store.flush().expect("flush");
    later
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to read.
    let rounds: u64 = std::env::var("AKJ_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(2);
    let dir = tempfile::tempdir().expect("temporary folder");
    let keys = Arc::new(Keys::load_or_create(&dir.path().join("master.key")).expect("key"));
    let data = dir.path().join("data");
    let ring = dir.path().join("ring");
    let store = Store::open(&data, &ring, 64, keys.clone()).expect("store");
    let sizes = |store: &Store| {
        // What sled wrote is on disk before it is measured.
        store.flush().expect("flush");
        (
            on_disk(&data),
            on_disk(&ring) + on_disk(&ak_jurok::crypto::keyring::wrap_path(&ring)),
        )
    };
    let mut now = Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
    println!("storage: {PER_ROUND} requests a round, sent, closed and purged");
    let mut after_first = (0, 0);
    for n in 0..rounds {
        now = round(&store, &keys, n, now);
        let (data, ring) = sizes(&store);
        println!(
            "  after round {}: data {:.2} MiB, keyring {:.3} MiB",
            n + 1,
            mib(data),
            mib(ring)
        );
        if n == 0 {
            after_first = (data, ring);
        }
    }
    let (data, ring) = sizes(&store);
    let later_rounds = (rounds - 1) as f64;
    println!(
        "growth per {PER_ROUND} closed and purged requests (over rounds 2–{rounds}): data {:.3} MiB, keyring {:.3} MiB (budget: under 1 MiB)",
        mib(data.saturating_sub(after_first.0)) / later_rounds,
        mib(ring.saturating_sub(after_first.1)) / later_rounds
    );
    backups(&store, &keys, now, dir.path());
}

/// Fills the queue to 1,000 and then 5,000 waiting requests, and takes a
/// backup at each: how long writes waited, and the whole backup.
fn backups(store: &Store, keys: &Keys, now: DateTime<Utc>, dir: &Path) {
    let mut waiting = 0;
    for target in [1_000u64, 5_000] {
        while waiting < target {
            send(store, keys, 9_000_000 + waiting, now);
            waiting += 1;
        }
        let started = std::time::Instant::now();
        let made = store
            .backup_to(
                &dir.join("backups"),
                3,
                now + Duration::minutes(target as i64),
            )
            .expect("backup");
        println!(
            "backup with {target} requests waiting: {} rows, {:.1} MiB; writes waited {:.1} ms, the whole backup (with its flush) {:.1} ms",
            made.rows,
            mib(on_disk(&made.path)),
            made.held.as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        );
    }
}
