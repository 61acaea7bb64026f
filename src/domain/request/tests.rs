use super::*;

#[test]
fn codes_avoid_look_alike_characters() {
    let mut rng = rand::thread_rng();
    for _ in 0..500 {
        let code = new_code(&mut rng, CODE_LEN);
        assert_eq!(code.len(), 4);
        assert!(!code.contains(['0', 'O', '1', 'I', 'L', '2', 'Z', '5', 'S', '8', 'B']));
    }
}

#[test]
fn typed_codes_are_recognised_in_any_case() {
    assert_eq!(typed_code(" k7qx "), Some(TicketCode::from("K7QX")));
    assert_eq!(typed_code("k7q"), None);
    assert!(looks_like_code("K7QX"));
    assert!(looks_like_code(" k7qx "));
    assert!(!looks_like_code("K7Q"));
    assert!(!looks_like_code("hello"));
    assert!(
        !looks_like_code("\u{41A}7QX"),
        "a Cyrillic look-alike is not a code"
    );
}

#[test]
fn urgency_orders_danger_first() {
    let mut all = vec![Urgency::CanWait, Urgency::DangerNow, Urgency::WithinDay];
    all.sort();
    assert_eq!(all, Urgency::ALL);
}
