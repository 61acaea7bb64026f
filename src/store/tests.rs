use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::TimeZone;

use super::*;
use crate::crypto::keyring::wrap_path;
use crate::domain::dialogue::Screen;

pub(crate) fn keys() -> Arc<Keys> {
    Arc::new(Keys::from_master(&[3u8; 32]))
}

pub(crate) fn ring(dir: &Path) -> PathBuf {
    dir.join("ak-jurok.keyring")
}

pub(crate) fn open(dir: &Path) -> Store {
    Store::open(&dir.join("data"), &ring(dir), 1, keys()).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap()
}

pub(crate) fn menu(at: DateTime<Utc>) -> Dialogue {
    Dialogue {
        lang: "ru".into(),
        screen: Screen::Menu,
        updated_at: at,
        draft: None,
    }
}

/// A person with a saved dialogue on the menu.
pub(crate) fn saved(store: &Store, user: u64, at: DateTime<Utc>) -> Pseudonym {
    let who = keys().pseudonym(user);
    store
        .save(&who, &menu(at), &Session::default(), at)
        .unwrap();
    who
}

/// Every key and value of every tree, concatenated.
pub(crate) fn all_sled_bytes(store: &Store) -> Vec<u8> {
    let mut all = Vec::new();
    for name in store.db.tree_names() {
        let tree = store.db.open_tree(&name).unwrap();
        for entry in tree.iter() {
            let (k, v) = entry.unwrap();
            all.extend_from_slice(&k);
            all.extend_from_slice(&v);
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn dialogue_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let who = keys().pseudonym(77);
    let d = Dialogue {
        screen: Screen::Covid(3),
        ..menu(now())
    };
    open(dir.path())
        .save(&who, &d, &Session::default(), now())
        .unwrap();
    assert_eq!(
        open(dir.path()).load_dialogue(&who, now()).unwrap(),
        Some(d)
    );
}

#[test]
fn older_dialogue_shape_resets_to_menu_keeping_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let who = saved(&store, 78, now());
    let person = store.keyring.person(&who).unwrap();
    let put = |value: serde_json::Value| {
        let sealed = person.key.seal(&value, &Store::binding(&person.dialogue));
        store
            .dialogues
            .insert(person.dialogue.as_bytes(), sealed.into_bytes())
            .unwrap();
    };
    put(serde_json::json!({"v": 1, "dialogue": {"lang": "ky", "screen": {"Wizard": {"step": 3}}}}));
    let d = store.load_dialogue(&who, now()).unwrap().unwrap();
    assert_eq!((d.lang.as_str(), d.screen), ("ky", Screen::Menu));
    put(serde_json::json!(["garbage"]));
    let d = store.load_dialogue(&who, now()).unwrap().unwrap();
    assert_eq!(d.screen, Screen::Menu);
}

#[test]
fn shelter_state_is_kept_with_its_time() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(open(dir.path()).shelter().unwrap(), None);
    open(dir.path())
        .set_shelter(ShelterState::Few, now())
        .unwrap();
    assert_eq!(
        open(dir.path()).shelter().unwrap(),
        Some(ShelterStatus {
            state: ShelterState::Few,
            set_at: now()
        })
    );
}

#[test]
fn second_open_of_a_database_in_use_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let _first = open(dir.path());
    let second = Store::open(&dir.path().join("data"), &ring(dir.path()), 1, keys());
    let message = second.err().expect("refused").to_string();
    assert!(
        message.contains("in use by another ak-jurok process"),
        "{message}"
    );
}

#[test]
fn no_pseudonym_appears_anywhere_in_sled_and_rows_have_random_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let who = saved(&store, 81, now());
    store.track(&who, &[5, 6], now()).unwrap();
    let mut links = store.load(&who, now()).unwrap().unwrap().links;
    let submission =
        crate::store::requests::tests::submission(crate::domain::request::Urgency::CanWait);
    store
        .enqueue(&who, 81, &submission, &menu(now()), &mut links, now())
        .unwrap();
    let all = all_sled_bytes(&store);
    assert!(!contains(&all, who.as_bytes()));
    assert!(!contains(&all, &who.as_bytes()[..8]));
    let hex: String = who.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert!(!contains(&all, hex.as_bytes()));
    // The record itself: nothing she chose stands in clear.
    let record = store.latest_request(&who).unwrap().unwrap();
    let stored =
        String::from_utf8_lossy(&store.requests.get(record.id.as_bytes()).unwrap().unwrap())
            .to_string();
    for word in ["Legal", "Evening", "Call", "HangUp", "created", "sunflower"] {
        assert!(!stored.contains(word), "{word} in clear: {stored}");
    }
}

#[test]
fn sealed_dialogues_are_the_same_size_whatever_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let a = keys().pseudonym(1);
    let b = keys().pseudonym(2);
    store
        .save(&a, &menu(now()), &Session::default(), now())
        .unwrap();
    let covid = Dialogue {
        screen: Screen::Covid(6),
        lang: "ky".into(),
        ..menu(now())
    };
    store.save(&b, &covid, &Session::default(), now()).unwrap();
    let size = |who: &Pseudonym| {
        let person = store.keyring.person(who).unwrap();
        store
            .dialogues
            .get(person.dialogue.as_bytes())
            .unwrap()
            .unwrap()
            .len()
    };
    assert_eq!(size(&a), size(&b));
}

#[test]
fn a_data_folder_under_another_master_key_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    saved(&open(dir.path()), 79, now());
    let other = Store::open(
        &dir.path().join("data"),
        &ring(dir.path()),
        1,
        Arc::new(Keys::from_master(&[4u8; 32])),
    );
    let message = other.err().expect("refused").to_string();
    assert!(
        message.contains("restore the matching key file"),
        "{message}"
    );
}

#[test]
fn a_missing_foreign_or_rolled_back_keyring_is_refused_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let store = open(dir.path());
    let who = saved(&store, 90, now());
    let old_ring = std::fs::read(ring(dir.path())).unwrap();
    let old_wrap = std::fs::read(wrap_path(&ring(dir.path()))).unwrap();
    store.erase(&who, false, now()).unwrap();
    drop(store);
    let refusal = |ring_path: &Path| {
        Store::open(&data, ring_path, 1, keys())
            .err()
            .expect("refused")
            .to_string()
    };
    let mut messages = Vec::new();
    // Missing.
    let message = refusal(&dir.path().join("elsewhere.keyring"));
    assert!(message.contains("is missing"), "{message}");
    messages.push(message);
    // Another database's.
    let other = tempfile::tempdir().unwrap();
    saved(&open(other.path()), 91, now());
    let message = refusal(&ring(other.path()));
    assert!(message.contains("belongs to another database"), "{message}");
    messages.push(message);
    // An older copy of this one, from before the erasure.
    let copy = tempfile::tempdir().unwrap();
    crate::crypto::keyring::tests::write_private(&ring(copy.path()), &old_ring);
    crate::crypto::keyring::tests::write_private(&wrap_path(&ring(copy.path())), &old_wrap);
    let message = refusal(&ring(copy.path()));
    assert!(message.contains("an older copy"), "{message}");
    messages.push(message);
    for message in messages {
        assert!(message.contains("AKJ_KEYRING"), "{message}");
        assert!(message.contains("recover-keyring --confirm"), "{message}");
    }
    // The current one still opens.
    assert!(Store::open(&data, &ring(dir.path()), 1, keys()).is_ok());
    // A fresh data folder never adopts a ring that holds keys.
    let fresh = tempfile::tempdir().unwrap();
    let message = Store::open(&fresh.path().join("data"), &ring(dir.path()), 1, keys())
        .err()
        .expect("refused")
        .to_string();
    assert!(message.contains("belongs to another database"), "{message}");
}

#[test]
fn recovery_from_an_old_keyring_brings_nothing_erased_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let store = open(dir.path());
    let erased = saved(&store, 92, now());
    let kept = saved(&store, 93, now());
    let old_ring = std::fs::read(ring(dir.path())).unwrap();
    let old_wrap = std::fs::read(wrap_path(&ring(dir.path()))).unwrap();
    store.erase(&erased, false, now()).unwrap();
    drop(store);
    // The operator restores both keyring files from an old copy.
    crate::crypto::keyring::tests::write_private(&ring(dir.path()), &old_ring);
    crate::crypto::keyring::tests::write_private(&wrap_path(&ring(dir.path())), &old_wrap);
    assert!(Store::open(&data, &ring(dir.path()), 1, keys()).is_err());
    let later = now() + Duration::minutes(1);
    let report = Store::recover(&data, &ring(dir.path()), 1, keys(), later).unwrap();
    assert_eq!(report.keys_destroyed, 1, "her key, back in the old copy");
    let store = Store::open(&data, &ring(dir.path()), 1, keys()).unwrap();
    assert!(store.keyring.person(&erased).is_none());
    assert!(store.load_dialogue(&kept, now()).unwrap().is_some());
}

#[test]
fn recovery_starts_a_new_ring_when_its_wrapping_file_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let store = open(dir.path());
    let who = keys().pseudonym(94);
    let mut links = Session::default();
    let submission =
        crate::store::requests::tests::submission(crate::domain::request::Urgency::CanWait);
    let queued = store
        .enqueue(&who, 94, &submission, &menu(now()), &mut links, now())
        .unwrap();
    drop(store);
    std::fs::remove_file(wrap_path(&ring(dir.path()))).unwrap();
    let refused = Store::open(&data, &ring(dir.path()), 1, keys())
        .err()
        .unwrap();
    assert!(refused.to_string().contains("is missing"), "{refused}");
    let later = now() + Duration::minutes(1);
    let report = Store::recover(&data, &ring(dir.path()), 1, keys(), later).unwrap();
    assert_eq!(report.lost, [queued.code]);
    let store = Store::open(&data, &ring(dir.path()), 1, keys()).unwrap();
    assert_eq!(store.queue_len(), 0);
    assert_eq!(store.counter("waiting/urgency/wait").unwrap(), 0);
    assert_eq!(store.counter("waiting/topic/legal").unwrap(), 0);
}
