use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::TimeZone;

use super::*;
use crate::conversation::Screen;
use crate::crypto::Keys;
use crate::phone::Phone;
use crate::request::{ContactMethod, IfOtherAnswers, SafeTime};

fn keys() -> Arc<Keys> {
    Arc::new(Keys::from_master(&[9u8; 32]))
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap()
}

fn submission(urgency: Urgency) -> Submission {
    Submission {
        topic: Topic::Legal,
        urgency,
        contact: ContactMethod::Call,
        safe_time: SafeTime::Evening,
        if_other: Some(IfOtherAnswers::HangUp),
        phone: Phone::parse("0700 123 456").ok(),
        phone_not_own: false,
        code_word: Some("sunflower".into()),
        description: Some("help".into()),
    }
}

fn dialogue() -> Dialogue {
    Dialogue {
        lang: "ru".into(),
        screen: Screen::MyRequest,
        updated_at: t0(),
        draft: None,
    }
}

fn queue(store: &Store, user: u64, urgency: Urgency, at: DateTime<Utc>) -> Enqueued {
    let who = keys().pseudonym(user);
    store
        .enqueue(&who, user as i64, &submission(urgency), &dialogue(), at)
        .unwrap()
}

#[test]
fn queue_orders_by_urgency_then_time_and_counts_who_is_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), 1, keys()).unwrap();
    let first = queue(&store, 1, Urgency::CanWait, t0());
    assert_eq!(first.ahead, 0);
    let second = queue(&store, 2, Urgency::CanWait, t0() + Duration::minutes(1));
    assert_eq!(second.ahead, 1);
    let urgent = queue(&store, 3, Urgency::DangerNow, t0() + Duration::minutes(2));
    assert_eq!(urgent.ahead, 0, "danger goes first");
    assert_eq!(store.counter("waiting/urgency/wait").unwrap(), 2);
    assert_eq!(store.counter("waiting/urgency/danger").unwrap(), 1);
    assert_eq!(store.counter("stats/2026-04/topic/legal").unwrap(), 3);
    let staff = keys().pseudonym(900);
    let order: Vec<u64> = std::iter::from_fn(|| store.claim_next(&staff, t0()).unwrap())
        .map(|c| c.record.id)
        .collect();
    assert_eq!(order, [urgent.id, first.id, second.id]);
    assert_eq!(store.counter("waiting/urgency/wait").unwrap(), 0);
}

#[test]
fn the_request_and_her_dialogue_are_stored_together_and_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), 1, keys()).unwrap();
    let who = keys().pseudonym(7);
    let queued = store
        .enqueue(&who, 7, &submission(Urgency::WithinDay), &dialogue(), t0())
        .unwrap();
    assert_eq!(queued.code.len(), 4);
    assert_eq!(store.load_dialogue(&who, t0()).unwrap(), Some(dialogue()));
    let personal = store.personal(queued.id).unwrap();
    assert_eq!(personal.code_word.as_deref(), Some("sunflower"));
    assert_eq!(personal.chat_id, 7);
    let view = store.view_request(&who).unwrap().unwrap();
    assert_eq!(view.code, queued.code);
    assert_eq!(view.phone_masked.as_deref(), Some("+996 ••• ••• 456"));
    assert_eq!(view.state, ViewState::Waiting { ahead: 0 });
}

#[test]
fn one_open_request_per_person() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), 1, keys()).unwrap();
    let who = keys().pseudonym(8);
    store
        .enqueue(&who, 8, &submission(Urgency::CanWait), &dialogue(), t0())
        .unwrap();
    let again = store.enqueue(&who, 8, &submission(Urgency::CanWait), &dialogue(), t0());
    assert!(matches!(again, Err(EnqueueError::AlreadyOpen)));
    assert_eq!(
        store.keyring.ids().len(),
        1,
        "the refused request left no key"
    );
    assert!(store.cancel_request(&who, t0()).unwrap());
    assert_eq!(
        store.view_request(&who).unwrap().unwrap().state,
        ViewState::Cancelled
    );
    store
        .enqueue(&who, 8, &submission(Urgency::CanWait), &dialogue(), t0())
        .unwrap();
}

#[test]
fn two_staff_claiming_at_once_never_get_the_same_request() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path(), 4, keys()).unwrap());
    for user in 0..60 {
        queue(
            &store,
            1000 + user,
            Urgency::ALL[(user % 3) as usize],
            t0() + Duration::seconds(user as i64),
        );
    }
    let claimers: Vec<_> = (0..2)
        .map(|n| {
            let store = store.clone();
            std::thread::spawn(move || {
                let staff = keys().pseudonym(500 + n);
                let mut got = Vec::new();
                while let Some(claimed) = store.claim_next(&staff, t0()).unwrap() {
                    got.push(claimed.record.id);
                }
                got
            })
        })
        .collect();
    let results: Vec<Vec<u64>> = claimers.into_iter().map(|h| h.join().unwrap()).collect();
    let all: Vec<u64> = results.iter().flatten().copied().collect();
    let unique: BTreeSet<u64> = all.iter().copied().collect();
    assert_eq!(all.len(), 60);
    assert_eq!(unique.len(), 60, "no request was claimed twice");
}

#[test]
fn released_requests_go_back_to_their_place_and_closing_counts_the_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), 1, keys()).unwrap();
    let a = queue(&store, 1, Urgency::CanWait, t0());
    let b = queue(&store, 2, Urgency::CanWait, t0() + Duration::minutes(5));
    let staff = keys().pseudonym(900);
    let claimed = store.claim_next(&staff, t0()).unwrap().unwrap();
    assert_eq!(claimed.record.id, a.id);
    assert!(store.release(a.id).unwrap());
    assert!(
        !store.release(a.id).unwrap(),
        "only a claimed request is released"
    );
    assert_eq!(
        store.claim_next(&staff, t0()).unwrap().unwrap().record.id,
        a.id
    );
    assert!(store
        .close(a.id, Resolution::Helped, t0() + Duration::hours(2))
        .unwrap());
    assert!(
        !store.close(a.id, Resolution::Helped, t0()).unwrap(),
        "closed once"
    );
    assert_eq!(store.counter("stats/2026-04/outcome/helped").unwrap(), 1);
    assert_eq!(store.counter("stats/2026-04/wait/1-4h").unwrap(), 1);
    assert_eq!(
        store.claim_next(&staff, t0()).unwrap().unwrap().record.id,
        b.id
    );
}

#[test]
fn purge_destroys_the_data_key_after_the_grace_period() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), 1, keys()).unwrap();
    let who = keys().pseudonym(11);
    let queued = queue(&store, 11, Urgency::CanWait, t0());
    let record = store.latest_request(&who).unwrap().unwrap();
    store.cancel_request(&who, t0()).unwrap();
    let grace = Duration::days(7);
    let idle = Duration::days(30);
    let early = store.purge(t0() + Duration::days(6), grace, idle).unwrap();
    assert_eq!(early.requests, 0);
    assert!(store.personal(queued.id).is_ok());
    let later = store.purge(t0() + Duration::days(8), grace, idle).unwrap();
    assert_eq!(later.requests, 1);
    assert!(store.personal(queued.id).is_err());
    assert!(
        store.open_personal(&record).is_none(),
        "a copy of the record no longer opens"
    );
    assert!(store.latest_request(&who).unwrap().is_none());
    assert_eq!(
        store.counter("stats/2026-04/outcome/cancelled").unwrap(),
        1,
        "counts stay"
    );
    // Reopened from disk, the key is still gone.
    drop(store);
    let reopened = Store::open(dir.path(), 1, keys()).unwrap();
    assert!(reopened.open_personal(&record).is_none());
}

#[test]
fn purge_removes_idle_dialogues_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), 1, keys()).unwrap();
    let old = keys().pseudonym(20);
    let recent = keys().pseudonym(21);
    store.save_dialogue(&old, &dialogue()).unwrap();
    store
        .save_dialogue(
            &recent,
            &Dialogue {
                updated_at: t0() + Duration::days(20),
                ..dialogue()
            },
        )
        .unwrap();
    let report = store
        .purge(
            t0() + Duration::days(31),
            Duration::days(7),
            Duration::days(30),
        )
        .unwrap();
    assert_eq!(report.dialogues, 1);
    assert!(store.load_dialogue(&old, t0()).unwrap().is_none());
    assert!(store.load_dialogue(&recent, t0()).unwrap().is_some());
}

#[test]
fn changing_a_waiting_request_keeps_its_code_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), 1, keys()).unwrap();
    let who = keys().pseudonym(30);
    let first = queue(&store, 30, Urgency::CanWait, t0());
    queue(&store, 31, Urgency::WithinDay, t0() + Duration::minutes(1));
    let mut changed = submission(Urgency::WithinDay);
    changed.description = None;
    let replaced = store.replace(&who, 30, &changed, &dialogue()).unwrap();
    assert_eq!(
        (replaced.id, replaced.code.as_str()),
        (first.id, first.code.as_str())
    );
    assert_eq!(
        replaced.ahead, 0,
        "sent earlier than the other within-a-day request"
    );
    assert_eq!(store.personal(first.id).unwrap().description, None);
    assert_eq!(store.counter("waiting/urgency/wait").unwrap(), 0);
    assert_eq!(store.counter("waiting/urgency/day").unwrap(), 2);
}

#[test]
fn orphan_keys_are_destroyed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), 1, keys()).unwrap();
    let kept = queue(&store, 40, Urgency::CanWait, t0());
    store.keyring.create(999_999).unwrap();
    assert_eq!(store.destroy_orphan_keys().unwrap(), 1);
    assert!(store.personal(kept.id).is_ok());
}
