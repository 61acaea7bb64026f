use chrono::{Duration, TimeZone};

use super::*;
use crate::domain::request::Urgency;
use crate::store::requests::tests::queue;
use crate::store::tests::open;

fn at(hour: u32, second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, hour, 0, second).unwrap()
}

#[test]
fn a_backup_copies_every_live_row_into_a_private_folder_named_by_when() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    queue(&store, 1, Urgency::DangerNow, at(10, 0));
    queue(&store, 2, Urgency::WithinDay, at(10, 0));
    let backups = dir.path().join("backups");
    let made = store.backup_to(&backups, 3, at(11, 0)).unwrap();
    assert_eq!(made.path, backups.join("ak-jurok-20260501-110000"));
    assert_eq!(made.removed, 0);
    use std::os::unix::fs::PermissionsExt;
    for folder in [&backups, &made.path] {
        let mode = std::fs::metadata(folder).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{}", folder.display());
    }
    let copy = super::super::open_sled(&made.path.join("db"), 1).unwrap();
    let mut rows = 0;
    for name in store.db.tree_names() {
        if name == b"meta" {
            continue;
        }
        let (live, copied) = (
            store.db.open_tree(&name).unwrap(),
            copy.open_tree(&name).unwrap(),
        );
        let live: Vec<_> = live.iter().map(Result::unwrap).collect();
        let copied: Vec<_> = copied.iter().map(Result::unwrap).collect();
        assert_eq!(live, copied, "tree {}", String::from_utf8_lossy(&name));
        rows += live.len();
    }
    assert!(rows > 4, "{rows} rows");
    // The copy says when it was made.
    let stamp = copy
        .open_tree("meta")
        .unwrap()
        .get(super::super::restore::BACKUP_AT_KEY)
        .unwrap()
        .unwrap();
    assert_eq!(
        i64::from_be_bytes(stamp.as_ref().try_into().unwrap()),
        at(11, 0).timestamp_millis()
    );
    assert_eq!(newest_backup(&backups), Some(at(11, 0)));
}

#[test]
fn only_the_newest_are_kept_two_in_one_second_both_stay_and_a_half_made_copy_goes() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    queue(&store, 1, Urgency::WithinDay, at(10, 0));
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(backups.join(".ak-jurok-20260501-090000.partial/db")).unwrap();
    std::fs::create_dir_all(backups.join("not-a-backup")).unwrap();
    for hour in [11, 12, 13] {
        store.backup_to(&backups, 3, at(hour, 0)).unwrap();
    }
    let twice = store.backup_to(&backups, 3, at(13, 0)).unwrap();
    assert_eq!(twice.path, backups.join("ak-jurok-20260501-130000-2"));
    assert_eq!(twice.removed, 1);
    let mut names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "ak-jurok-20260501-120000",
            "ak-jurok-20260501-130000",
            "ak-jurok-20260501-130000-2",
            "not-a-backup",
        ]
    );
}

#[test]
fn a_backup_that_cannot_be_written_names_its_folder_and_leaves_nothing_half_made() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    // A file where the folder should be.
    let backups = dir.path().join("backups");
    std::fs::write(&backups, b"").unwrap();
    let error = store.backup_to(&backups, 3, at(11, 0)).unwrap_err();
    assert!(
        error.to_string().contains(&backups.display().to_string()),
        "{error}"
    );
    // The store still takes writes: the gate was let go.
    queue(&store, 1, Urgency::WithinDay, at(11, 1));
}

#[test]
fn the_next_backup_is_due_a_period_after_the_newest_or_now() {
    let every = Duration::hours(24);
    assert_eq!(next_backup(None, every, at(10, 0)), at(10, 0));
    assert_eq!(
        next_backup(Some(at(9, 0)), every, at(10, 0)),
        at(9, 0) + every
    );
    assert_eq!(
        next_backup(Some(at(9, 0) - Duration::days(3)), every, at(10, 0)),
        at(10, 0)
    );
}

#[test]
fn every_backup_taken_while_requests_come_is_whole() {
    // Two writers enqueue requests (a record, a queue entry, a code, a
    // counter each, in one transaction) while backups are taken: each copy
    // must hold each request whole or not at all.
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(open(dir.path()));
    let backups = dir.path().join("backups");
    let writers: Vec<_> = (0..2u64)
        .map(|writer| {
            let store = store.clone();
            std::thread::spawn(move || {
                for n in 0..150 {
                    queue(
                        &store,
                        1000 * (writer + 1) + n,
                        Urgency::WithinDay,
                        at(10, 0),
                    );
                }
            })
        })
        .collect();
    let mut made = Vec::new();
    while !writers.iter().all(|w| w.is_finished()) && made.len() < 40 {
        let second = made.len() as u32;
        made.push(store.backup_to(&backups, 100, at(11, second)).unwrap().path);
    }
    for writer in writers {
        writer.join().unwrap();
    }
    assert!(made.len() > 1, "backups were taken while requests came");
    for (n, backup) in made.iter().enumerate() {
        // Each with its own copy of the ring (opening one moves it on).
        let ring = dir.path().join(format!("ring-{n}"));
        std::fs::copy(crate::store::tests::ring(dir.path()), &ring).unwrap();
        std::fs::copy(
            crate::crypto::keyring::wrap_path(&crate::store::tests::ring(dir.path())),
            crate::crypto::keyring::wrap_path(&ring),
        )
        .unwrap();
        let copy = Store::open_with(
            backup,
            &ring,
            1,
            crate::store::tests::keys(),
            super::super::RingCheck::Restore,
        )
        .unwrap();
        assert_eq!(
            copy.verify().unwrap(),
            Vec::<String>::new(),
            "{}",
            backup.display()
        );
    }
}
