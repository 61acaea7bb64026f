//! Micro-benchmarks of the bot's own work (`cargo bench --bench core`): a step
//! of her conversation with its Fluent rendering, the button-data codec,
//! sealing and opening a request's details, enqueueing with the flush a
//! confirmation waits for, taking the next request from a large queue, and
//! opening a store that holds many requests.
//!
//! The queue size is `AKJ_BENCH_REQUESTS` (10,000 unless set; the performance
//! issue's budget is stated for 100,000). The store is filled on tmpfs
//! (`/dev/shm`, where a flush costs nothing: 100,000 requests take two keyring
//! fsyncs each on a disk) and then copied to a disk folder, where everything is
//! measured.

use std::hint::black_box;
use std::sync::Arc;

use ak_jurok::config::Center;
use ak_jurok::conversation::{self, Action, Ctx, Dialogue, Input, Screen};
use ak_jurok::crypto::keyring::{Keyring, Target};
use ak_jurok::crypto::{Binding, DataKey, Keys};
use ak_jurok::i18n::Locales;
use ak_jurok::store::{Session, Store};
use ak_jurok::ui::button_data;
use chrono::{DateTime, TimeZone, Utc};
use common::submission;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

mod common;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap()
}

fn requests() -> u64 {
    std::env::var("AKJ_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn dialogue() -> Dialogue {
    Dialogue {
        lang: "ru".into(),
        screen: Screen::MyRequest,
        updated_at: t0(),
        draft: None,
    }
}

/// The store (and keyring) in `dir`.
fn open(dir: &std::path::Path, keys: &Arc<Keys>) -> Store {
    Store::open(&dir.join("data"), &dir.join("ring"), 64, keys.clone()).unwrap()
}

/// Copies the files of folder `from` into `to` (flat: the store's folder too).
fn copy_all(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_all(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A store in a temporary folder on disk with `n` waiting requests (filled on
/// tmpfs when there is one).
fn filled(n: u64) -> (tempfile::TempDir, Arc<Keys>, Store) {
    let shm = std::path::Path::new("/dev/shm");
    let scratch = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let keys = Arc::new(Keys::load_or_create(&scratch.path().join("master.key")).unwrap());
    let store = open(scratch.path(), &keys);
    for user in 0..n {
        let who = keys.pseudonym(1_000_000 + user);
        let mut links = Session::default();
        store
            .enqueue(
                &who,
                user as i64,
                &submission(),
                &dialogue(),
                &mut links,
                t0(),
            )
            .unwrap();
    }
    store.flush().unwrap();
    drop(store);
    let dir = tempfile::tempdir().unwrap();
    copy_all(scratch.path(), dir.path());
    let keys = Arc::new(Keys::load_or_create(&dir.path().join("master.key")).unwrap());
    let store = open(dir.path(), &keys);
    (dir, keys, store)
}

fn core(c: &mut Criterion) {
    let locales = Locales::embedded("ky").unwrap();
    let center = Center::default();
    let languages = locales.codes();
    let windows = ak_jurok::domain::schedule::ContactWindows::default();
    let ctx = Ctx::defaults(t0(), &center, &languages, "ky", &windows);
    let at_menu = Dialogue {
        screen: Screen::Menu,
        ..dialogue()
    };
    c.bench_function("her step: menu → help topics, rendered in ru", |b| {
        b.iter(|| {
            let outcome = conversation::step(
                Some(at_menu.clone()),
                Input::Pressed(Action::HelpTopics),
                &ctx,
            );
            let shown: Vec<_> = outcome
                .replies
                .iter()
                .map(|r| ak_jurok::ui::render::render(&locales, &center, "ru", r))
                .collect();
            black_box(shown)
        })
    });
    let action = Action::Covid(3);
    c.bench_function("button data: encode and decode", |b| {
        b.iter(|| {
            black_box(button_data::decode(&button_data::encode(black_box(
                &action,
            ))))
        })
    });
}

fn store(c: &mut Criterion) {
    let n = requests();
    let (dir, keys, store) = filled(n);
    // Sealing and opening what a request keeps sealed.
    let claimed = store.claim_next("bench", t0()).unwrap().unwrap();
    let key = DataKey::from_bytes([7; 32]);
    let binding = Binding::new("request", b"0123456789abcdef", "details");
    c.bench_function("seal and open a request's details", |b| {
        b.iter(|| {
            let sealed = key.seal(&claimed.details, &binding);
            black_box(key.open(&sealed, &binding).unwrap())
        })
    });
    store
        .finish_claim(&claimed.record.id, "bench", None, t0())
        .unwrap();
    // Taking the next request (and putting it back, so the queue keeps its size).
    c.bench_function(&format!("claim_next with {n} waiting (and release)"), |b| {
        b.iter(|| {
            let claimed = store.claim_next("bench", t0()).unwrap().unwrap();
            store
                .finish_claim(&claimed.record.id, "bench", None, t0())
                .unwrap();
        })
    });
    c.bench_function(&format!("queue counts with {n} waiting"), |b| {
        b.iter(|| black_box(store.waiting_by_topic().unwrap()))
    });
    // A new request, flushed as before her confirmation.
    let mut next = 10_000_000u64;
    c.bench_function("enqueue a request with its flush", |b| {
        b.iter_batched(
            || {
                next += 1;
                keys.pseudonym(next)
            },
            |who| {
                let mut links = Session::default();
                store
                    .enqueue(&who, 1, &submission(), &dialogue(), &mut links, t0())
                    .unwrap();
                store.flush().unwrap();
            },
            BatchSize::SmallInput,
        )
    });
    drop(store);
    // Start-up: the store and keyring opened with all of it inside.
    let mut group = c.benchmark_group("start-up");
    group.sample_size(10);
    group.bench_function(format!("open store and keyring with {n} requests"), |b| {
        b.iter(|| black_box(open(dir.path(), &keys).queue_len()))
    });
    group.bench_function("load the locales", |b| {
        b.iter(|| black_box(Locales::embedded("ky").unwrap()))
    });
    group.finish();
    // The keyring alone (the store closed): a key written (two fsyncs) and
    // destroyed (three) among all of the above — a request's and her key each.
    let ring = Keyring::open(&dir.path().join("ring"), keys.clone()).unwrap();
    let (persons, requests) = ring.len();
    c.bench_function(
        &format!("add and destroy a key among {} keys", persons + requests),
        |b| {
            b.iter(|| {
                let (id, _) = ring.create_request(t0()).unwrap();
                ring.destroy(&[Target::Request(id)]).unwrap()
            })
        },
    );
}

criterion_group!(benches, core, store);
criterion_main!(benches);
