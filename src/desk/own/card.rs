//! `/card CODE`: the card of a request one holds, shown again when messages
//! have scrolled it away. It is the claim's one card: the one shown before
//! goes from the chat (the engine's rule for every card it remembers).

use super::{Asker, OwnCommand, Port, PortError};
use crate::desk::{card::card_reply, to, Reply, Role};
use crate::i18n::text::{MsgId, Text};

/// Its line in Telegram's command menu.
const DESCRIPTION: MsgId = MsgId("cmd-card");
const USAGE: MsgId = MsgId("desk-card-usage");
const NOT_HELD: MsgId = MsgId("desk-card-not-held");

pub struct CardAgain;

impl OwnCommand for CardAgain {
    fn name(&self) -> &'static str {
        "card"
    }

    fn role(&self) -> Role {
        Role::Staff
    }

    fn description(&self) -> MsgId {
        DESCRIPTION
    }

    fn texts(&self) -> &'static [MsgId] {
        &[DESCRIPTION, USAGE, NOT_HELD]
    }

    fn run(
        &self,
        asker: &Asker,
        argument: &str,
        port: &mut dyn Port,
    ) -> Result<Vec<Reply>, PortError> {
        let Some(code) = crate::domain::request::typed_code(argument) else {
            return Ok(vec![to(asker.handle, vec![Text::new(USAGE)])]);
        };
        let held = port.held()?.into_iter().find(|(_, c)| *c == code);
        let card = match held {
            Some((id, _)) => port.card(id)?,
            None => None,
        };
        Ok(vec![match card {
            Some(card) => card_reply(asker.handle, &card, asker.now),
            None => to(asker.handle, vec![Text::new(NOT_HELD).arg("code", code)]),
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::tests::card;
    use crate::domain::ids::RecordId;
    use crate::domain::request::TicketCode;

    /// A port over one held request, counting what it was asked.
    struct Holding {
        id: RecordId,
        asked_for_card: usize,
    }

    impl Port for Holding {
        fn held(&mut self) -> Result<Vec<(RecordId, TicketCode)>, PortError> {
            Ok(vec![(self.id, "K7QX".into())])
        }

        fn card(&mut self, id: RecordId) -> Result<Option<crate::desk::Card>, PortError> {
            self.asked_for_card += 1;
            let mut card = card();
            card.id = id;
            Ok((id == self.id).then_some(card))
        }
    }

    fn ids(replies: &[Reply]) -> Vec<&'static str> {
        replies
            .iter()
            .flat_map(|r| r.parts.iter().map(|t| t.id.0))
            .collect()
    }

    #[test]
    fn the_card_comes_back_only_for_a_request_one_holds_by_its_code() {
        let asker = Asker {
            handle: "aigul",
            supervisor: false,
            now: chrono::Utc::now(),
        };
        let mut port = Holding {
            id: RecordId::random(),
            asked_for_card: 0,
        };
        let shown = CardAgain.run(&asker, " k7qx ", &mut port).unwrap();
        assert_eq!(shown[0].card, Some(port.id), "the card, to be remembered");
        assert!(shown[0].protect, "sent protected like every card");
        let other = CardAgain.run(&asker, "K7QY", &mut port).unwrap();
        assert_eq!(ids(&other), vec![NOT_HELD.0]);
        let typo = CardAgain.run(&asker, "", &mut port).unwrap();
        assert_eq!(ids(&typo), vec![USAGE.0]);
        assert_eq!(port.asked_for_card, 1, "only a held request's card is read");
    }
}
