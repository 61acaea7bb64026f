use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::TimeZone;

use super::*;
use crate::conversation::Screen;
use crate::crypto::keyring::{wrap_path, Keyring};
use crate::domain::phone::Phone;
use crate::domain::request::{ContactMethod, IfOtherAnswers, SafeTime, TryResult};
use crate::store::tests::{keys, open, ring};
use crate::store::{Erased, TryRecorded, ORPHAN_MIN_AGE};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap()
}

pub(crate) fn submission(urgency: Urgency) -> Submission {
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

fn links_of(store: &Store, who: &Pseudonym) -> Session {
    store
        .load(who, t0())
        .unwrap()
        .map(|c| c.links)
        .unwrap_or_default()
}

pub(crate) fn queue(store: &Store, user: u64, urgency: Urgency, at: DateTime<Utc>) -> Enqueued {
    let who = keys().pseudonym(user);
    let mut links = links_of(store, &who);
    store
        .enqueue(
            &who,
            user as i64,
            &submission(urgency),
            &dialogue(),
            &mut links,
            at,
        )
        .unwrap()
}

fn keep(grace: Duration, idle: Duration) -> crate::store::Retention {
    crate::store::Retention {
        grace,
        idle,
        draft_ttl: Duration::hours(6),
        audit: Duration::days(365),
    }
}

fn waiting_total(store: &Store) -> u64 {
    Urgency::ALL
        .iter()
        .map(|u| {
            store
                .counter(&format!("waiting/urgency/{}", u.tag()))
                .unwrap()
        })
        .sum()
}

#[test]
fn verify_finds_what_breaks_the_queue_codes_and_counters_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    for user in 0..4 {
        queue(&store, 2000 + user, Urgency::WithinDay, t0());
    }
    store.claim_next("staff1", t0()).unwrap();
    let first = store.claim_next("staff1", t0()).unwrap().unwrap().record;
    store
        .close_claim(&first.id, "staff1", Outcome::default(), Vec::new(), t0())
        .unwrap();
    assert_eq!(store.verify().unwrap(), Vec::<String>::new());
    assert_eq!(store.all_records().unwrap().len(), 4);
    // A waiting request dropped from the queue, and a counter off by one.
    let (key, id) = store.queue.first().unwrap().unwrap();
    store.queue.remove(key).unwrap();
    let lost = RecordId::from_slice(&id).unwrap();
    let code = store.record(&lost).unwrap().unwrap().code;
    let problems = store.verify().unwrap();
    assert!(
        problems.contains(&format!("{code} is waiting but not in the queue")),
        "{problems:?}"
    );
    assert!(
        problems.contains(&"waiting/urgency/day says 2, the queue holds 1".to_string()),
        "{problems:?}"
    );
    // A closed request put back in the queue.
    store
        .queue
        .insert(queue_key(first.urgency, first.seq), first.id.as_bytes())
        .unwrap();
    let problems = store.verify().unwrap();
    assert!(
        problems.contains(&format!("{} is in the queue but not waiting", first.code)),
        "{problems:?}"
    );
    store.codes.remove(first.code.as_bytes()).unwrap();
    assert!(store
        .verify()
        .unwrap()
        .contains(&format!("{} is missing from the code index", first.code)));
}

#[test]
fn queue_orders_by_urgency_then_time_and_counts_who_is_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let first = queue(&store, 1, Urgency::CanWait, t0());
    assert_eq!(first.ahead, 0);
    let second = queue(&store, 2, Urgency::CanWait, t0() + Duration::minutes(1));
    assert_eq!(second.ahead, 1);
    let urgent = queue(&store, 3, Urgency::DangerNow, t0() + Duration::minutes(2));
    assert_eq!(urgent.ahead, 0, "danger goes first");
    assert_eq!(store.counter("waiting/urgency/wait").unwrap(), 2);
    assert_eq!(store.counter("waiting/urgency/danger").unwrap(), 1);
    assert_eq!(store.counter("waiting/topic/legal").unwrap(), 3);
    assert_eq!(store.counter("stats/2026-04/topic/legal").unwrap(), 3);
    let order: Vec<RecordId> = std::iter::from_fn(|| store.claim_next("staff1", t0()).unwrap())
        .map(|c| c.record.id)
        .collect();
    assert_eq!(order, [urgent.id, first.id, second.id]);
    assert_eq!(store.counter("waiting/urgency/wait").unwrap(), 0);
    assert_eq!(store.counter("waiting/topic/legal").unwrap(), 0);
}

#[test]
fn the_request_and_her_dialogue_are_stored_together_and_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let who = keys().pseudonym(7);
    let mut links = Session::default();
    let queued = store
        .enqueue(
            &who,
            7,
            &submission(Urgency::WithinDay),
            &dialogue(),
            &mut links,
            t0() + Duration::minutes(17),
        )
        .unwrap();
    assert_eq!(queued.code.len(), 4);
    let stored = store.load(&who, t0()).unwrap().unwrap();
    assert_eq!(stored.dialogue, dialogue());
    assert_eq!(stored.links, links, "the link is in her sealed dialogue");
    let record = store.record(&queued.id).unwrap().unwrap();
    assert_eq!(record.queued_at, t0(), "only the hour is in clear");
    let details = store.open_details(&record).unwrap();
    assert_eq!(details.created_at, t0() + Duration::minutes(17));
    assert_eq!(details.personal.code_word.as_deref(), Some("sunflower"));
    assert_eq!(details.personal.chat_id, 7);
    let view = store.view_request(&links).unwrap().unwrap();
    assert_eq!(view.code, queued.code);
    assert_eq!(view.phone_masked.as_deref(), Some("+996 ••• ••• 456"));
    assert_eq!(view.state, ViewState::Waiting { ahead: 0 });
}

#[test]
fn one_open_request_per_person() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let who = keys().pseudonym(8);
    queue(&store, 8, Urgency::CanWait, t0());
    let mut links = links_of(&store, &who);
    let again = store.enqueue(
        &who,
        8,
        &submission(Urgency::CanWait),
        &dialogue(),
        &mut links,
        t0(),
    );
    assert!(matches!(again, Err(EnqueueError::AlreadyOpen)));
    assert_eq!(store.keyring.len().1, 1, "the refused request left no key");
    assert!(store.cancel_request(&links, t0()).unwrap().is_some());
    assert_eq!(
        store.view_request(&links).unwrap().unwrap().state,
        ViewState::Cancelled
    );
    queue(&store, 8, Urgency::CanWait, t0());
}

#[test]
fn two_staff_claiming_at_once_never_get_the_same_request() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open(dir.path()));
    for user in 0..60 {
        queue(
            &store,
            1000 + user,
            Urgency::ALL[(user % 3) as usize],
            t0() + Duration::seconds(user as i64),
        );
    }
    let claimers: Vec<_> = (0..3)
        .map(|n| {
            let store = store.clone();
            std::thread::spawn(move || {
                let staff = format!("staff{n}");
                let mut got = Vec::new();
                while let Some(claimed) = store.claim_next(&staff, t0()).unwrap() {
                    got.push(claimed.record.id);
                }
                got
            })
        })
        .collect();
    let all: Vec<RecordId> = claimers
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let unique: BTreeSet<RecordId> = all.iter().copied().collect();
    assert_eq!(all.len(), 60);
    assert_eq!(unique.len(), 60, "no request was claimed twice");
    assert_eq!(waiting_total(&store), 0);
}

#[test]
fn released_requests_go_back_to_their_place_and_closing_counts_the_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let a = queue(&store, 1, Urgency::CanWait, t0());
    let b = queue(&store, 2, Urgency::CanWait, t0() + Duration::minutes(5));
    let claimed = store.claim_next("staff1", t0()).unwrap().unwrap();
    assert_eq!(claimed.record.id, a.id);
    assert!(store.release(&a.id).unwrap());
    assert!(
        !store.release(&a.id).unwrap(),
        "only a claimed request is released"
    );
    assert_eq!(store.counter("waiting/topic/legal").unwrap(), 2);
    assert_eq!(
        store.claim_next("staff1", t0()).unwrap().unwrap().record.id,
        a.id
    );
    assert!(store
        .close(&a.id, Resolution::Talked, t0() + Duration::hours(2))
        .unwrap());
    assert!(
        !store.close(&a.id, Resolution::Talked, t0()).unwrap(),
        "closed once"
    );
    assert_eq!(store.counter("stats/2026-04/outcome/helped").unwrap(), 1);
    assert_eq!(store.counter("stats/2026-04/wait/1-4h").unwrap(), 1);
    assert_eq!(
        store.claim_next("staff1", t0()).unwrap().unwrap().record.id,
        b.id
    );
}

#[test]
fn a_request_whose_key_is_gone_is_closed_as_lost_never_left_claimed() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let lost = queue(&store, 1, Urgency::DangerNow, t0());
    let fine = queue(&store, 2, Urgency::CanWait, t0());
    // As after a keyring restored from a copy older than the request.
    store.keyring.destroy(&[Target::Request(lost.id)]).unwrap();
    let claimed = store.claim_next("staff1", t0()).unwrap().unwrap();
    assert_eq!(claimed.record.id, fine.id, "the lost one is skipped");
    let record = store.record(&lost.id).unwrap().unwrap();
    assert_eq!(
        record.status,
        Status::Closed {
            resolution: Resolution::DataLost,
            at: t0()
        }
    );
    assert_eq!(store.counter("stats/2026-04/outcome/lost").unwrap(), 1);
    assert_eq!(waiting_total(&store), 0);
    assert_eq!(store.counter("waiting/topic/legal").unwrap(), 0);
    assert_eq!(store.queue_len(), 0);
}

#[test]
fn purge_destroys_the_data_key_after_the_grace_period() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let who = keys().pseudonym(11);
    queue(&store, 11, Urgency::CanWait, t0());
    let record = store.latest_request(&who).unwrap().unwrap();
    store.cancel_request(&links_of(&store, &who), t0()).unwrap();
    let grace = Duration::days(7);
    let idle = Duration::days(30);
    let early = store
        .purge(t0() + Duration::days(6), &keep(grace, idle))
        .unwrap();
    assert_eq!(early.requests, 0);
    assert!(store.open_personal(&record).is_some());
    let later = store
        .purge(t0() + Duration::days(8), &keep(grace, idle))
        .unwrap();
    assert_eq!(later.requests, 1);
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
    assert!(open(dir.path()).open_personal(&record).is_none());
}

#[test]
fn a_codes_audit_history_lasts_as_long_as_its_request() {
    use crate::store::AuditAction;
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let (gone, stays, erased) = (
        keys().pseudonym(31),
        keys().pseudonym(32),
        keys().pseudonym(33),
    );
    queue(&store, 31, Urgency::CanWait, t0());
    queue(&store, 32, Urgency::CanWait, t0());
    queue(&store, 33, Urgency::CanWait, t0());
    let code = |who: &Pseudonym| store.latest_request(who).unwrap().unwrap().code;
    let (gone_code, stays_code, erased_code) = (code(&gone), code(&stays), code(&erased));
    let tried = AuditAction::Tried {
        result: "someone_else",
        gave_up: false,
    };
    for c in [&gone_code, &stays_code, &erased_code] {
        store.audit(t0(), "aigul", &tried, Some(c)).unwrap();
    }
    store
        .audit(t0(), "aigul", &AuditAction::DutyOn, None)
        .unwrap();
    store
        .cancel_request(&links_of(&store, &gone), t0())
        .unwrap();
    let codes_in_audit = |store: &Store| -> Vec<Option<String>> {
        store
            .audit_since(t0() - Duration::days(1))
            .unwrap()
            .into_iter()
            .map(|line| line.code)
            .collect()
    };
    // Within the grace period the cancelled request's lines keep its code.
    store
        .purge(
            t0() + Duration::days(6),
            &keep(Duration::days(7), Duration::days(30)),
        )
        .unwrap();
    assert!(codes_in_audit(&store).contains(&Some(gone_code.to_string())));
    // Erase takes the code out of the lines of what it removes, at once.
    store
        .erase(&erased, false, t0() + Duration::days(6))
        .unwrap();
    assert!(!codes_in_audit(&store).contains(&Some(erased_code.to_string())));
    store
        .purge(
            t0() + Duration::days(8),
            &keep(Duration::days(7), Duration::days(30)),
        )
        .unwrap();
    let lines = store.audit_since(t0() - Duration::days(1)).unwrap();
    assert_eq!(lines.len(), 4, "the lines stay: who did what, when");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.action == "tried:someone_else")
            .count(),
        3
    );
    assert_eq!(
        codes_in_audit(&store),
        [None, Some(stays_code.to_string()), None, None],
        "only the open request's code is left"
    );
    let all = crate::store::tests::all_sled_bytes(&store);
    for code in [&gone_code, &erased_code] {
        assert!(
            !all.windows(4).any(|w| w == code.as_bytes()),
            "{code} on disk"
        );
    }
}

#[test]
fn purge_removes_idle_dialogues_but_not_one_with_an_open_request() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let old = keys().pseudonym(20);
    let recent = keys().pseudonym(21);
    store
        .save(&old, &dialogue(), &Session::default(), t0())
        .unwrap();
    let fresh = Dialogue {
        updated_at: t0() + Duration::days(20),
        ..dialogue()
    };
    store
        .save(&recent, &fresh, &Session::default(), t0())
        .unwrap();
    let waiting = keys().pseudonym(22);
    queue(&store, 22, Urgency::CanWait, t0());
    let report = store
        .purge(
            t0() + Duration::days(31),
            &keep(Duration::days(7), Duration::days(30)),
        )
        .unwrap();
    assert_eq!(report.dialogues, 1);
    assert!(store.load_dialogue(&old, t0()).unwrap().is_none());
    assert!(store.keyring.person(&old).is_none(), "her key is destroyed");
    assert!(store.load_dialogue(&recent, t0()).unwrap().is_some());
    assert!(
        store.latest_request(&waiting).unwrap().is_some(),
        "still linked to her open request"
    );
}

#[test]
fn changing_a_waiting_request_keeps_its_code_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let who = keys().pseudonym(30);
    let first = queue(&store, 30, Urgency::CanWait, t0());
    queue(&store, 31, Urgency::WithinDay, t0() + Duration::minutes(1));
    let mut changed = submission(Urgency::WithinDay);
    changed.description = None;
    let links = links_of(&store, &who);
    let replaced = store
        .replace(&who, 30, &changed, &dialogue(), &links, t0())
        .unwrap();
    assert_eq!(
        (replaced.id, replaced.code.as_str()),
        (first.id, first.code.as_str())
    );
    assert_eq!(
        replaced.ahead, 0,
        "sent earlier than the other within-a-day request"
    );
    let record = store.record(&first.id).unwrap().unwrap();
    assert_eq!(store.open_personal(&record).unwrap().description, None);
    assert_eq!(store.counter("waiting/urgency/wait").unwrap(), 0);
    assert_eq!(store.counter("waiting/urgency/day").unwrap(), 2);
}

#[test]
fn keys_without_rows_are_swept_once_they_are_ten_minutes_old() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let kept = queue(&store, 40, Urgency::CanWait, t0());
    // A crash between creating a key and the transaction that uses it.
    let (orphan, _) = store.keyring.create_request(t0()).unwrap();
    let stray = keys().pseudonym(41);
    store.keyring.person_or_create(&stray, t0()).unwrap();
    assert_eq!(
        store
            .sweep_orphans(t0() + Duration::minutes(5), ORPHAN_MIN_AGE)
            .unwrap(),
        0,
        "too young: it may be in use"
    );
    assert_eq!(
        store
            .sweep_orphans(t0() + Duration::minutes(11), ORPHAN_MIN_AGE)
            .unwrap(),
        2
    );
    assert!(store.keyring.request_key(&orphan).is_none());
    assert!(store.keyring.person(&stray).is_none());
    let record = store.record(&kept.id).unwrap().unwrap();
    assert!(store.open_personal(&record).is_some());
    assert!(store
        .latest_request(&keys().pseudonym(40))
        .unwrap()
        .is_some());
}

#[test]
fn erase_removes_every_request_of_hers_and_her_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let who = keys().pseudonym(50);
    queue(&store, 50, Urgency::CanWait, t0());
    let cancelled = store.latest_request(&who).unwrap().unwrap();
    store.cancel_request(&links_of(&store, &who), t0()).unwrap();
    queue(&store, 50, Urgency::WithinDay, t0());
    let open_one = store.latest_request(&who).unwrap().unwrap();
    store.track(&who, &[1, 2, 3], t0()).unwrap();
    let person = store.keyring.person(&who).unwrap();
    let ring_before = std::fs::read(ring(dir.path())).unwrap();
    let erased = store.erase(&who, false, t0()).unwrap();
    assert_eq!(
        erased,
        Erased {
            cancelled: true,
            kept: 0,
            withdrawn: Vec::new(),
        }
    );
    for record in [&cancelled, &open_one] {
        assert!(store.record(&record.id).unwrap().is_none());
        assert!(store.codes.get(record.code.as_bytes()).unwrap().is_none());
        assert!(store.open_personal(record).is_none());
    }
    assert!(store.keyring.person(&who).is_none());
    assert!(store
        .dialogues
        .get(person.dialogue.as_bytes())
        .unwrap()
        .is_none());
    assert!(store
        .tracked
        .get(person.dialogue.as_bytes())
        .unwrap()
        .is_none());
    assert!(store.load(&who, t0()).unwrap().is_none());
    assert_eq!(waiting_total(&store), 0);
    assert_eq!(store.queue_len(), 0);
    assert_eq!(store.counter("stats/2026-04/outcome/cancelled").unwrap(), 2);
    // An old copy of the ring, with the master key and the current wrapping keys,
    // opens none of it.
    let copy = tempfile::tempdir().unwrap();
    let old = copy.path().join("old.keyring");
    crate::crypto::keyring::tests::write_private(&old, &ring_before);
    crate::crypto::keyring::tests::write_private(
        &wrap_path(&old),
        &std::fs::read(wrap_path(&ring(dir.path()))).unwrap(),
    );
    let old_ring = Keyring::open(&old, keys()).unwrap();
    assert!(old_ring.person(&who).is_none());
    assert!(old_ring.request_key(&cancelled.id).is_none());
    assert!(old_ring.request_key(&open_one.id).is_none());
}

#[test]
fn a_kept_request_stays_for_staff_and_shows_only_after_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let who = keys().pseudonym(60);
    let queued = queue(&store, 60, Urgency::CanWait, t0());
    let old_person = store.keyring.person(&who).unwrap();
    let erased = store.erase(&who, true, t0()).unwrap();
    assert_eq!(
        erased,
        Erased {
            cancelled: false,
            kept: 1,
            withdrawn: Vec::new(),
        }
    );
    let person = store.keyring.person(&who).unwrap();
    assert_ne!(
        person.dialogue, old_person.dialogue,
        "a new dialogue and key"
    );
    let stored = store.load(&who, t0()).unwrap().unwrap();
    assert_eq!(stored.dialogue.screen, Screen::FirstContact);
    let mut links = stored.links;
    assert_eq!(store.view_request(&links).unwrap(), None, "nothing shows");
    assert_eq!(
        store.record(&queued.id).unwrap().unwrap().status,
        Status::Waiting
    );
    assert_eq!(waiting_total(&store), 1);
    // A new request is allowed while the kept one waits.
    let mut second_links = links.clone();
    let second = store
        .enqueue(
            &who,
            60,
            &submission(Urgency::CanWait),
            &dialogue(),
            &mut second_links,
            t0(),
        )
        .unwrap();
    store.cancel_request(&second_links, t0()).unwrap();
    // Wrong codes, then the right one — but only three tries a day.
    assert!(store.reveal(&mut links, "AAAA", 3, t0()).unwrap().is_none());
    assert!(store.reveal(&mut links, "CCCC", 3, t0()).unwrap().is_none());
    assert!(store
        .reveal(&mut links, &second.code, 3, t0())
        .unwrap()
        .is_none());
    assert!(
        store
            .reveal(&mut links, &queued.code, 3, t0())
            .unwrap()
            .is_none(),
        "a fourth try the same day is refused"
    );
    let tomorrow = t0() + Duration::days(1);
    let typed = queued.code.to_lowercase();
    assert_eq!(
        store.reveal(&mut links, &typed, 3, tomorrow).unwrap(),
        Some(queued.id)
    );
    let view = store.view_request(&links).unwrap().unwrap();
    assert_eq!(view.code, queued.code);
}

/// Erase again does not give whoever holds her phone three more guesses at a
/// kept request's code that day (S11).
#[test]
fn the_days_code_tries_survive_erase() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let who = keys().pseudonym(61);
    let queued = queue(&store, 61, Urgency::CanWait, t0());
    store.erase(&who, true, t0()).unwrap();
    let mut links = store.load(&who, t0()).unwrap().unwrap().links;
    for wrong in ["AAAA", "CCCC", "DDDD"] {
        assert!(store.reveal(&mut links, wrong, 3, t0()).unwrap().is_none());
    }
    store.save(&who, &dialogue(), &links, t0()).unwrap();
    store.erase(&who, true, t0()).unwrap();
    let mut links = store.load(&who, t0()).unwrap().unwrap().links;
    assert_eq!(
        store.reveal(&mut links, &queued.code, 3, t0()).unwrap(),
        None,
        "a fourth try the same day, after Erase"
    );
    let tomorrow = t0() + Duration::days(1);
    assert_eq!(
        store.reveal(&mut links, &queued.code, 3, tomorrow).unwrap(),
        Some(queued.id)
    );
}

#[test]
fn only_the_holder_ends_a_claim_by_closing_or_releasing_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let queued = queue(&store, 70, Urgency::CanWait, t0());
    store.claim_next("aigul", t0()).unwrap().unwrap();
    assert!(!store
        .finish_claim(&queued.id, "nurzat", Some(Resolution::Talked), t0())
        .unwrap());
    assert!(!store
        .finish_claim(&queued.id, "nurzat", None, t0())
        .unwrap());
    assert!(store.finish_claim(&queued.id, "aigul", None, t0()).unwrap());
    assert_eq!(store.queue_len(), 1, "back in its place");
    assert_eq!(waiting_total(&store), 1);
    store.claim_next("nurzat", t0()).unwrap().unwrap();
    assert_eq!(store.claims_of("nurzat").unwrap().len(), 1);
    assert!(store
        .finish_claim(&queued.id, "nurzat", Some(Resolution::Talked), t0())
        .unwrap());
    assert!(store.claims_of("nurzat").unwrap().is_empty());
    assert_eq!(store.counter("stats/2026-04/outcome/helped").unwrap(), 1);
}

#[test]
fn a_request_is_taken_by_its_code_once_and_stale_queue_entries_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let first = queue(&store, 80, Urgency::CanWait, t0());
    let second = queue(&store, 81, Urgency::CanWait, t0());
    let taken = store
        .claim_code(&second.code.to_lowercase(), "aigul", t0())
        .unwrap()
        .unwrap();
    assert_eq!(taken.record.id, second.id);
    assert!(store
        .claim_code(&second.code, "nurzat", t0())
        .unwrap()
        .is_none());
    assert!(store.claim_code("ZZZZ", "nurzat", t0()).unwrap().is_none());
    // A queue entry whose request is gone does not stop /next.
    store
        .queue
        .insert(
            queue_key(Urgency::DangerNow, 0),
            RecordId::random().as_bytes(),
        )
        .unwrap();
    let next = store.claim_next("nurzat", t0()).unwrap().unwrap();
    assert_eq!(next.record.id, first.id);
    assert_eq!(store.queue_len(), 0);
}

#[test]
fn tries_close_a_request_only_after_three_over_two_days() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let queued = queue(&store, 90, Urgency::CanWait, t0());
    for n in 1..=3 {
        store.claim_next("aigul", t0()).unwrap().unwrap();
        let outcome = store
            .record_try(
                &queued.id,
                "aigul",
                TryResult::NoAnswer,
                None,
                t0() + Duration::hours(n),
            )
            .unwrap();
        assert_eq!(
            outcome,
            Some(TryRecorded {
                tries: n as u8,
                gave_up: false
            }),
            "three in a day: it waits"
        );
    }
    assert_eq!(waiting_total(&store), 1);
    assert_eq!(
        store
            .claim_next("aigul", t0())
            .unwrap()
            .unwrap()
            .record
            .tries,
        3
    );
    assert_eq!(
        store
            .record_try(&queued.id, "nurzat", TryResult::NoAnswer, None, t0())
            .unwrap(),
        None,
        "only the holder"
    );
    // Two days after the first try (at one o'clock).
    let later = t0() + Duration::days(2) + Duration::hours(1);
    assert_eq!(
        store
            .record_try(&queued.id, "aigul", TryResult::WrongNumber, None, later)
            .unwrap(),
        Some(TryRecorded {
            tries: 4,
            gave_up: true
        })
    );
    assert_eq!(waiting_total(&store), 0);
    assert_eq!(store.counter("stats/2026-04/try/noanswer").unwrap(), 3);
    assert_eq!(
        store.counter("stats/2026-04/outcome/unreachable").unwrap(),
        1
    );
}

fn queue_as(
    store: &Store,
    user: u64,
    submission: &Submission,
    lang: &str,
    at: DateTime<Utc>,
) -> Enqueued {
    let who = keys().pseudonym(user);
    let mut links = links_of(store, &who);
    let mut dialogue = dialogue();
    dialogue.lang = lang.into();
    store
        .enqueue(&who, user as i64, submission, &dialogue, &mut links, at)
        .unwrap()
}

#[test]
fn next_takes_only_open_windows_and_prefers_her_language_within_an_urgency() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let at = |safe_time, urgency| Submission {
        safe_time,
        ..submission(urgency)
    };
    let evening = queue_as(
        &store,
        1,
        &at(SafeTime::Evening, Urgency::WithinDay),
        "ru",
        t0(),
    );
    let morning_ru = queue_as(
        &store,
        2,
        &at(SafeTime::Morning, Urgency::WithinDay),
        "ru",
        t0(),
    );
    let morning_ky = queue_as(
        &store,
        3,
        &at(SafeTime::Morning, Urgency::WithinDay),
        "ky",
        t0(),
    );
    let any_ky = queue_as(&store, 4, &at(SafeTime::Any, Urgency::CanWait), "ky", t0());
    // Morning on the center's clock (15:00 UTC+6 is afternoon; 03:00 UTC is 09:00):
    // the evening request waits for its window.
    let windows = crate::domain::schedule::ContactWindows::default();
    let nine = Utc.with_ymd_and_hms(2026, 4, 6, 3, 0, 0).unwrap();
    let open_now = |_: &RequestRecord, d: &Details| windows.is_open(d.safe_time, nine);
    let speaks_ky = |d: &Details| d.lang.as_deref() == Some("ky");
    let choice = Choice {
        open_now: &open_now,
        preferred: &speaks_ky,
    };
    let order: Vec<RecordId> =
        std::iter::from_fn(|| store.claim_next_for("aigul", t0(), &choice).unwrap())
            .map(|claimed| claimed.record.id)
            .collect();
    assert_eq!(
        order,
        [morning_ky.id, morning_ru.id, any_ky.id],
        "her language first within an urgency, never above a more urgent one"
    );
    assert_eq!(
        store.record(&evening.id).unwrap().unwrap().status,
        Status::Waiting
    );
}

#[test]
fn next_looks_for_her_language_only_a_bounded_way_past_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let day = Submission {
        safe_time: SafeTime::Any,
        ..submission(Urgency::WithinDay)
    };
    let first_ru = queue_as(&store, 100, &day, "ru", t0());
    for n in 1..super::PREFERENCE_LOOKAHEAD as u64 {
        queue_as(&store, 100 + n, &day, "ru", t0());
    }
    // Just within reach, and just beyond it.
    let near_ky = queue_as(&store, 500, &day, "ky", t0());
    let far_ky = {
        queue_as(&store, 501, &day, "ru", t0());
        queue_as(&store, 502, &day, "ky", t0())
    };
    let speaks_ky = |d: &Details| d.lang.as_deref() == Some("ky");
    let choice = Choice {
        open_now: &|_, _| true,
        preferred: &speaks_ky,
    };
    let take = || {
        store
            .claim_next_for("aigul", t0(), &choice)
            .unwrap()
            .unwrap()
            .record
            .id
    };
    assert_eq!(take(), near_ky.id, "her language, within the lookahead");
    // Now the other Kyrgyz one is past the lookahead: the oldest is taken.
    assert_eq!(take(), first_ru.id);
    assert_ne!(far_ky.id, first_ru.id);
}

#[test]
fn a_reopen_puts_a_closed_request_back_and_takes_its_outcome_out_of_the_counters() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let queued = queue(&store, 1, Urgency::WithinDay, t0());
    store.claim_next("aigul", t0()).unwrap().unwrap();
    use crate::domain::outcome::{Help, Mark};
    let outcome = (Outcome::default().toggle(Mark::Help(Help::Legal))).toggle(Mark::ChildAtRisk);
    let closed_at = t0() + Duration::hours(1);
    assert!(!store
        .close_claim(&queued.id, "nurzat", outcome, Vec::new(), closed_at)
        .unwrap());
    assert!(store
        .close_claim(
            &queued.id,
            "aigul",
            outcome,
            vec!["disability".into()],
            closed_at
        )
        .unwrap());
    let counted = [
        "stats/2026-04/outcome/helped",
        "stats/2026-04/help/legal",
        "stats/2026-04/flag/child-at-risk",
        "stats/2026-04/wait/1-4h",
        "stats/2026-04/center/disability",
    ];
    for counter in counted {
        assert_eq!(store.counter(counter).unwrap(), 1, "{counter}");
    }
    // The form is kept sealed: nothing of it in clear in the record.
    let stored = store.requests.get(queued.id.as_bytes()).unwrap().unwrap();
    assert!(!String::from_utf8_lossy(&stored).contains("legal"));
    // Two days later a supervisor reopens it: its close leaves the counters.
    let reopened = store
        .reopen(
            &queued.code.to_lowercase(),
            closed_at + Duration::days(2),
            Duration::days(7),
        )
        .unwrap();
    assert_eq!(
        reopened,
        Reopen::Reopened {
            id: queued.id,
            code: queued.code.clone()
        }
    );
    for counter in counted {
        assert_eq!(store.counter(counter).unwrap(), 0, "{counter}");
    }
    assert_eq!(store.counter("waiting/urgency/day").unwrap(), 1);
    // Reached at the first try: counted, and kept (the try happened).
    assert_eq!(store.counter("stats/2026-04/first-try/1-4h").unwrap(), 1);
    assert_eq!(
        store.claim_next("nurzat", t0()).unwrap().unwrap().record.id,
        queued.id,
        "back in the queue"
    );
    // Past the grace period, or cancelled by her: no reopen.
    store
        .finish_claim(&queued.id, "nurzat", Some(Resolution::Talked), closed_at)
        .unwrap();
    assert_eq!(
        store
            .reopen(
                &queued.code,
                closed_at + Duration::days(8),
                Duration::days(7)
            )
            .unwrap(),
        Reopen::Refused
    );
    let other = queue(&store, 2, Urgency::WithinDay, t0());
    store.close(&other.id, Resolution::Cancelled, t0()).unwrap();
    assert_eq!(
        store.reopen(&other.code, t0(), Duration::days(7)).unwrap(),
        Reopen::Refused
    );
    assert_eq!(
        store.reopen("ZZZZ", t0(), Duration::days(7)).unwrap(),
        Reopen::Refused
    );
}

#[test]
fn a_handover_note_is_sealed_with_its_request_and_goes_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let queued = queue(&store, 1, Urgency::WithinDay, t0());
    let note = "her sister answered at 18:10";
    assert_eq!(
        store.set_note(&queued.id, note).unwrap(),
        Some(queued.code.clone())
    );
    let record = store.record(&queued.id).unwrap().unwrap();
    assert_eq!(store.open_note(&record).as_deref(), Some(note));
    let stored = store.requests.get(queued.id.as_bytes()).unwrap().unwrap();
    assert!(!String::from_utf8_lossy(&stored).contains("sister"));
    store.destroy_keys(&[Target::Request(queued.id)]).unwrap();
    assert_eq!(store.open_note(&record), None);
    // A closed request takes no note.
    let other = queue(&store, 2, Urgency::WithinDay, t0());
    store.close(&other.id, Resolution::Talked, t0()).unwrap();
    assert_eq!(store.set_note(&other.id, note).unwrap(), None);
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// One thing that can happen to the queue.
    #[derive(Debug, Clone)]
    enum Op {
        /// Woman `n` sends a request (refused while hers is open).
        Send(u64),
        /// Staff member `n` takes the next one.
        Next(u8),
        /// Staff member `n` puts back, closes, or records a try on what they hold.
        Release(u8),
        Close(u8),
        Try(u8),
        /// Woman `n` cancels hers.
        Cancel(u64),
        /// The database is closed and opened again (a restart).
        Reopen,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1u64..5).prop_map(Op::Send),
            (0u8..2).prop_map(Op::Next),
            (0u8..2).prop_map(Op::Release),
            (0u8..2).prop_map(Op::Close),
            (0u8..2).prop_map(Op::Try),
            (1u64..5).prop_map(Op::Cancel),
            Just(Op::Reopen),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Whatever happens, every request confirmed to a woman is in exactly one
        /// state — waiting in the queue once, held by one staff member, or closed —
        /// and the waiting counters equal the queue.
        #[test]
        fn no_confirmed_request_is_ever_lost_or_doubled(ops in proptest::collection::vec(op(), 1..40)) {
            let dir = tempfile::tempdir().unwrap();
            let mut store = open(dir.path());
            let mut confirmed: Vec<RecordId> = Vec::new();
            let mut at = t0();
            for op in ops {
                at += Duration::minutes(7);
                let staff = |n: u8| format!("staff{n}");
                match op {
                    Op::Send(user) => {
                        let who = keys().pseudonym(user);
                        let mut links = links_of(&store, &who);
                        if let Ok(queued) = store.enqueue(
                            &who,
                            user as i64,
                            &submission(Urgency::WithinDay),
                            &dialogue(),
                            &mut links,
                            at,
                        ) {
                            confirmed.push(queued.id);
                        }
                    }
                    Op::Next(n) => {
                        store.claim_next(&staff(n), at).unwrap();
                    }
                    Op::Release(n) | Op::Close(n) | Op::Try(n) => {
                        if let Some(held) = store.claims_of(&staff(n)).unwrap().first() {
                            match op {
                                Op::Release(_) => {
                                    store.finish_claim(&held.id, &staff(n), None, at).unwrap();
                                }
                                Op::Close(_) => {
                                    store
                                        .close_claim(&held.id, &staff(n), Outcome::default(), Vec::new(), at)
                                        .unwrap();
                                }
                                _ => {
                                    store
                                        .record_try(&held.id, &staff(n), TryResult::NoAnswer, None, at)
                                        .unwrap();
                                }
                            }
                        }
                    }
                    Op::Cancel(user) => {
                        let links = links_of(&store, &keys().pseudonym(user));
                        store.cancel_request(&links, at).unwrap();
                    }
                    Op::Reopen => {
                        drop(store);
                        store = open(dir.path());
                    }
                }
            }
            let queued: Vec<RecordId> = store
                .queue
                .iter()
                .map(|entry| RecordId::from_slice(&entry.unwrap().1).unwrap())
                .collect();
            for id in &confirmed {
                let record = store.record(id).unwrap();
                prop_assert!(record.is_some(), "a confirmed request is gone");
                let record = record.unwrap();
                let in_queue = queued.iter().filter(|q| *q == id).count();
                match record.status {
                    Status::Waiting => prop_assert_eq!(in_queue, 1),
                    Status::Claimed { .. } | Status::Closed { .. } => prop_assert_eq!(in_queue, 0),
                }
            }
            prop_assert_eq!(queued.len() as u64, store.counter("waiting/urgency/day").unwrap());
            let problems = store.verify().unwrap();
            prop_assert!(problems.is_empty(), "{:?}", problems);
        }
    }
}

#[test]
fn her_place_counts_the_more_urgent_and_those_of_her_tier_sent_before() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let day = |user| queue(&store, user, Urgency::WithinDay, t0()).ahead;
    assert_eq!(day(5_550_970_001), 0);
    assert_eq!(day(5_550_970_002), 1);
    assert_eq!(
        queue(&store, 5_550_970_003, Urgency::CanWait, t0()).ahead,
        2
    );
    assert_eq!(
        queue(&store, 5_550_970_004, Urgency::DangerNow, t0()).ahead,
        0
    );
    assert_eq!(day(5_550_970_005), 3);
    // What "My request" shows agrees: the second, behind the danger and the first.
    let who = keys().pseudonym(5_550_970_002);
    let view = store
        .view_request(&links_of(&store, &who))
        .unwrap()
        .unwrap();
    assert!(matches!(view.state, ViewState::Waiting { ahead: 2 }));
    // Taken requests are no longer ahead of anyone.
    store.claim_next("s0", t0()).unwrap().unwrap();
    assert_eq!(day(5_550_970_006), 3);
}

#[test]
fn send_is_one_store_call_that_refuses_the_blocked_and_a_full_queue_except_danger() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let keys = keys();
    let sent = |user: u64, urgency: Urgency, replaces: bool, max_waiting: usize| {
        let who = keys.pseudonym(user);
        let mut links = links_of(&store, &who);
        let submission = submission(urgency);
        let submit = Submit {
            who: &who,
            block_tag: &keys.block_tag(&who),
            chat_id: user as i64,
            submission: &submission,
            dialogue: &dialogue(),
            replaces,
            max_waiting,
            in_hours: Some(true),
        };
        let result = store.submit(&submit, &mut links, t0()).unwrap();
        let kept = store.load(&who, t0()).unwrap().map(|c| c.dialogue.screen);
        (result, kept)
    };
    // Queued: her dialogue moves on, and the reports count it in hours.
    let (first, kept) = sent(701, Urgency::CanWait, false, 1);
    assert!(matches!(first, Submitted::Queued(_)), "{first:?}");
    assert_eq!(kept, Some(Screen::MyRequest));
    assert_eq!(store.counter("stats/2026-04/hours/inside").unwrap(), 1);
    // The queue is full (1): not kept, she is at the menu; danger now is taken.
    let (full, kept) = sent(702, Urgency::CanWait, false, 1);
    assert!(matches!(full, Submitted::QueueFull), "{full:?}");
    assert_eq!(kept, Some(Screen::Menu));
    assert_eq!(store.queue_len(), 1);
    let (danger, _) = sent(703, Urgency::DangerNow, false, 1);
    assert!(matches!(danger, Submitted::Queued(_)), "{danger:?}");
    // A second request while one is open: nothing sent, on to her request.
    let (again, kept) = sent(701, Urgency::CanWait, false, 10);
    assert!(matches!(again, Submitted::NotQueued), "{again:?}");
    assert_eq!(kept, Some(Screen::MyRequest));
    // Changing her open request is no new request: not counted again.
    let (changed, _) = sent(701, Urgency::WithinDay, true, 1);
    assert!(matches!(changed, Submitted::Queued(_)), "{changed:?}");
    assert_eq!(store.counter("stats/2026-04/hours/inside").unwrap(), 2);
    // Blocked: not kept, at the menu.
    let who = keys.pseudonym(704);
    store
        .block(&keys.block_tag(&who), t0() + Duration::days(1))
        .unwrap();
    let (blocked, kept) = sent(704, Urgency::DangerNow, false, 10);
    assert!(matches!(blocked, Submitted::Blocked), "{blocked:?}");
    assert_eq!(kept, Some(Screen::Menu));
    assert_eq!(store.queue_len(), 2, "hers and the danger-now one");
}

#[test]
fn an_assigned_request_is_its_new_holders_at_once_and_the_queue_and_counters_agree() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let waiting = queue(&store, 1, Urgency::WithinDay, t0());
    let claimed = queue(&store, 2, Urgency::WithinDay, t0());
    store
        .claim_code(claimed.code.as_str(), "aigul", t0())
        .unwrap()
        .unwrap();
    store.remember_card(&claimed.id, 77).unwrap();
    // A waiting one: out of the queue, nurzat's.
    let given = store
        .assign(&waiting.id, "nurzat", "boss", t0())
        .unwrap()
        .unwrap();
    assert!(given.from.is_none());
    assert!(
        store.claim_next("bolot", t0()).unwrap().is_none(),
        "nothing left to take"
    );
    // A claimed one: aigul's card comes back to be deleted.
    let given = store
        .assign(&claimed.id, "nurzat", "boss", t0())
        .unwrap()
        .unwrap();
    let (old, card, _) = given.from.unwrap();
    assert_eq!((old.as_str(), card), ("aigul", Some(77)));
    assert_eq!(store.claims_of("nurzat").unwrap().len(), 2);
    assert!(store.claims_of("aigul").unwrap().is_empty());
    assert_eq!(store.verify().unwrap(), Vec::<String>::new());
    assert_eq!(store.queue_len(), 0);
}

#[test]
fn a_requests_conversation_keeps_the_newest_thirty_within_twenty_thousand_characters() {
    use crate::domain::request::{THREAD_CHARS, THREAD_MESSAGES};
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let queued = queue(&store, 1, Urgency::WithinDay, t0());
    for n in 0..THREAD_MESSAGES + 5 {
        let by = (n % 2 == 0).then_some("aigul");
        store
            .add_to_thread(&queued.id, by, &format!("message {n}"), t0())
            .unwrap();
    }
    let record = store.record(&queued.id).unwrap().unwrap();
    let thread = store.open_thread(&record);
    assert_eq!(thread.len(), THREAD_MESSAGES);
    assert_eq!(thread[0].text, "message 5");
    assert_eq!(
        thread.last().unwrap().text,
        format!("message {}", THREAD_MESSAGES + 4)
    );
    // Long messages: the oldest go until the rest fit.
    let long = "x".repeat(THREAD_CHARS / 3);
    for _ in 0..4 {
        store.add_to_thread(&queued.id, None, &long, t0()).unwrap();
    }
    let record = store.record(&queued.id).unwrap().unwrap();
    let thread = store.open_thread(&record);
    let chars: usize = thread.iter().map(|s| s.text.chars().count()).sum();
    assert!(chars <= THREAD_CHARS, "{chars}");
    assert_eq!(thread.len(), 3);
    // Sealed: no word of it in clear.
    let bytes = crate::store::tests::all_sled_bytes(&store);
    assert!(!bytes.windows(9).any(|w| w == b"message 7"));
}
