//! However a claim ends, the holder's card (her number, her words) leaves the
//! holder's chat.

mod common;

use common::{she_asks, staff, wait_until, Harness};

#[tokio::test]
async fn putting_a_claim_back_from_the_still_working_question_deletes_the_card_too() {
    let h = Harness::start_with(|c| c.staff = vec![staff(900, "aigul")], None).await;
    let code = she_asks(&h, 630).await;
    let aigul = h.user(900);
    let card = aigul.say(&format!("/take {code}")).await;
    assert!(
        card.text.starts_with(&format!("Заявка {code}")),
        "{}",
        card.text
    );
    // Five minutes before the claim's 24 hours: asked; she puts it back from
    // that question, not from the card.
    h.clock
        .advance(chrono::Duration::hours(23) + chrono::Duration::minutes(56));
    let asked = aigul.next_reply().await;
    assert!(asked.text.starts_with("Вы ещё работаете"), "{}", asked.text);
    let back = aigul.tap("Вернуть в очередь").await;
    assert!(
        back.text
            .starts_with(&format!("Заявка {code} снова в очереди")),
        "{}",
        back.text
    );
    let gone = |id: i64| h.api.chat(900).iter().any(|m| m.id == id && m.deleted);
    assert!(
        wait_until(|| gone(card.message_id)).await,
        "the card with her number is deleted, not only the question"
    );
}
