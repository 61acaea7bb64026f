use std::sync::mpsc;
use std::time::Duration as Wait;

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::store::tests::open;

fn at(hour: u32, second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, hour, 0, second).unwrap()
}

#[test]
fn a_copy_waits_for_a_writing_intent_and_an_intent_within_it_does_not_wait_for_the_copy() {
    let gate = std::sync::Arc::new(WriteGate::default());
    let (outer_held, outer) = mpsc::channel();
    let (go, copier_waits) = mpsc::channel::<()>();
    let (inner_done, inner) = mpsc::channel();
    let intent = {
        let gate = gate.clone();
        std::thread::spawn(move || {
            let outer = gate.enter();
            outer_held.send(()).unwrap();
            copier_waits.recv().unwrap();
            // An intent the first one calls takes no second shared lock
            // (which would wait behind the waiting copy, for ever).
            drop(gate.enter());
            let still = gate.held();
            drop(outer);
            inner_done.send((still, gate.held())).unwrap();
        })
    };
    outer.recv().unwrap();
    let (copied, copy_done) = mpsc::channel();
    let copier = {
        let gate = gate.clone();
        std::thread::spawn(move || {
            let _alone = gate.0.write().unwrap();
            copied.send(()).unwrap();
        })
    };
    // The copy waits for the intent …
    assert!(copy_done.recv_timeout(Wait::from_millis(200)).is_err());
    go.send(()).unwrap();
    let held = inner
        .recv_timeout(Wait::from_secs(10))
        .expect("the inner intent does not wait for the copy");
    assert_eq!(held, (true, false), "held until the outer intent ends");
    copy_done
        .recv_timeout(Wait::from_secs(10))
        .expect("the copy goes once the intent is done");
    intent.join().unwrap();
    copier.join().unwrap();
}

#[test]
fn her_lock_a_purge_and_a_waiting_backup_never_wait_for_each_other_for_ever() {
    // Her handler holds her lock and then writes; the purge holds the gate and
    // then wants her lock; a backup waits for the gate between the two. Were
    // her lock taken outside the gate, her write would queue behind the
    // waiting backup, which waits for the purge, which waits for her lock.
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(open(dir.path()));
    let who = crate::store::tests::saved(&store, 1, at(10, 0));
    let keep = crate::store::Retention {
        grace: Duration::days(7),
        idle: Duration::days(30),
        draft_ttl: Duration::hours(24),
        audit: Duration::days(90),
    };
    let (done, finished) = mpsc::channel();
    let (go, her_turn) = mpsc::channel::<()>();
    let (holding, her_lock_held) = mpsc::channel();
    let handler = {
        let (store, done) = (store.clone(), done.clone());
        std::thread::spawn(move || {
            let _her = store.lock(&who);
            holding.send(()).unwrap();
            her_turn.recv().unwrap();
            let menu = crate::store::tests::menu(at(10, 30));
            store
                .save(&who, &menu, &Default::default(), at(10, 30))
                .unwrap();
            done.send("her write").unwrap();
        })
    };
    her_lock_held.recv().unwrap();
    let purge = {
        let (store, done) = (store.clone(), done.clone());
        std::thread::spawn(move || {
            store.purge(at(11, 0), &keep).unwrap();
            done.send("purge").unwrap();
        })
    };
    std::thread::sleep(Wait::from_millis(100));
    let backup = {
        let (store, done, backups) = (store.clone(), done.clone(), dir.path().join("b"));
        std::thread::spawn(move || {
            store.backup_to(&backups, 1, at(11, 0)).unwrap();
            done.send("backup").unwrap();
        })
    };
    std::thread::sleep(Wait::from_millis(100));
    go.send(()).unwrap();
    let mut ended: Vec<&str> = (0..3)
        .map(|_| {
            finished
                .recv_timeout(Wait::from_secs(10))
                .expect("nothing waits for ever")
        })
        .collect();
    ended.sort();
    assert_eq!(ended, ["backup", "her write", "purge"]);
    for thread in [handler, purge, backup] {
        thread.join().unwrap();
    }
}
