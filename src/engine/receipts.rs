//! The engine's two ends of a plan: rendered messages addressed to chats
//! (and the rule for an alert that cannot reach its staff member), and the one
//! door through which what Telegram answered comes back to be remembered.

use std::collections::BTreeMap;

use super::plan::{Chat, Deed, Plan, Receipt, Remember};
use super::*;

/// Messages shown in her chat, by what is to become of them.
#[derive(Default)]
struct HerMessages {
    ids: Vec<i32>,
    exposed: Vec<i32>,
    expiring: Vec<i32>,
}

impl App {
    /// The chat of staff member `handle`, if they are staff — suspended ones
    /// too: their cards are removed from the lost phone.
    pub(super) fn staff_chat_of(&self, handle: &str) -> Option<Chat> {
        self.staff
            .iter()
            .find(|m| m.handle == handle)
            .map(|m| Chat::Staff {
                handle: m.handle.clone(),
                id: m.id as i64,
            })
    }

    /// Deeds that delete cards (and her relayed words) in their holders'
    /// chats: `(handle, message)`.
    pub(super) fn remove_cards(&self, cards: Vec<(StaffHandle, i32)>) -> Plan {
        let mut plan = Plan::new();
        for (handle, id) in cards {
            if let Some(chat) = self.staff_chat_of(&handle) {
                let stub = self.card_stub(&handle);
                plan.push(Deed::Remove { chat, id, stub });
            }
        }
        plan
    }

    /// Deletes a card that another message of the same claim replaced.
    fn remove_old_card(&self, chat: &Chat, id: i32) -> Plan {
        match chat {
            Chat::Staff { handle, .. } => self.remove_cards(vec![(handle.clone(), id)]),
            _ => Plan::new(),
        }
    }

    /// What Telegram answered, remembered: her messages (so Hide and Erase
    /// remove them), the cards and relayed words, the live conversation, the
    /// knocks, the cover. What that comes to (a letter's writer told it was
    /// delivered, or not) is the next plan.
    pub fn delivered(&self, receipts: Vec<Receipt>) -> Result<Plan, StoreError> {
        let now = self.clock.now();
        let mut hers: BTreeMap<i64, HerMessages> = BTreeMap::new();
        let mut notes: BTreeMap<i64, Vec<i32>> = BTreeMap::new();
        let mut live: BTreeMap<(i64, bool), Vec<i32>> = BTreeMap::new();
        let mut next = Plan::new();
        for receipt in receipts {
            let chat = receipt.chat.id();
            let Some(id) = receipt.id else {
                if let Remember::Knock(letter) = receipt.then {
                    next.extend(self.undeliverable(&letter)?);
                }
                continue;
            };
            match receipt.then {
                Remember::Nothing => {}
                Remember::Hers { exposed, expires } => {
                    let mine = hers.entry(chat).or_default();
                    mine.ids.push(id);
                    if exposed {
                        mine.exposed.push(id);
                    }
                    if expires {
                        mine.expiring.push(id);
                    }
                }
                Remember::EraseNote => notes.entry(chat).or_default().push(id),
                Remember::Card(request) => {
                    // One card per claim in the holder's chat: the one shown
                    // before (her details) goes.
                    if let Some(old) = self.store.remember_card(&request, id)? {
                        next.extend(self.remove_old_card(&receipt.chat, old));
                    }
                }
                Remember::Relayed(request) => self.store.remember_relayed(&request, id)?,
                Remember::Live { hers } => live.entry((chat, hers)).or_default().push(id),
                Remember::Knock(letter) => next.extend(self.knocked(&letter, id)?),
                Remember::Cover => self.idle_covered(chat, id)?,
            }
        }
        for ((chat, hers), ids) in live {
            // Remembered before they are tracked with the rest.
            self.relay_touch(chat, &ids, hers)?;
        }
        for (
            chat,
            HerMessages {
                ids,
                exposed,
                expiring,
            },
        ) in hers
        {
            let who = self.keys.pseudonym(chat as u64);
            {
                // (Her own updates run one at a time; her lock's stripe is
                // another woman's only by chance, one in 1,024.)
                let _her = self.store.lock(&who);
                self.store.track(&who, &ids, now)?;
                self.store.expose(&who, chat, &exposed, now)?;
            }
            if !expiring.is_empty() {
                // A specialist's words: gone from her chat within a day,
                // whatever she does.
                let job = Job::DeleteMessages {
                    chat,
                    ids: expiring,
                };
                self.schedule(Duration::hours(24), &job)?;
            }
        }
        for (chat, ids) in notes {
            self.erase_note_shown(chat, ids)?;
        }
        Ok(next)
    }
}
