//! The engine's doors: her update, a staff member's, the answer after a
//! failure. Each comes to a [`Plan`]; the shells carry it out and hand back
//! the receipts ([`App::delivered`]), and timed jobs come in by
//! [`App::on_job`].

use super::plan::{Chat, Deed, Failing, Plan, Remember, Show};
use super::*;

impl App {
    /// Who is writing, as the engine knows her: the pseudonym of Telegram
    /// user `user`, whose private chat has the same id.
    pub fn speaker(&self, user: u64, language_code: Option<String>) -> Speaker {
        Speaker {
            who: self.keys.pseudonym(user),
            language_code,
            chat_id: user as i64,
        }
    }

    /// The staff member behind Telegram user `user` — unless suspended: a
    /// suspended staff member's phone is answered like anyone's.
    pub fn staff_member(&self, user: u64) -> Option<StaffMember> {
        self.active_staff().find(|m| m.id == user).cloned()
    }

    /// The staff who may work and be told things: not disabled in the
    /// configuration (which wins), not suspended in the database.
    pub(super) fn active_staff(&self) -> impl Iterator<Item = &StaffMember> + '_ {
        self.staff
            .iter()
            .filter(|m| !m.disabled && !self.store.is_suspended(&m.handle))
    }

    /// Whether `member` may use the desk: not disabled in the configuration,
    /// not suspended. The shell answers anyone else's phone like anyone's;
    /// the desk checks again, whatever shell brought the input.
    pub fn may_work(&self, member: &StaffMember) -> bool {
        !member.disabled && !self.store.is_suspended(&member.handle)
    }

    /// The staff member with this handle (suspended or not).
    pub fn staff_named(&self, handle: &str) -> Option<StaffMember> {
        self.staff.iter().find(|m| m.handle == handle).cloned()
    }

    /// Her update: `pressed`, the message whose button she pressed;
    /// `message`, the message she sent. Stepped and carried out.
    pub fn on_her(
        &self,
        speaker: &Speaker,
        input: Input,
        pressed: Option<i32>,
        message: Option<i32>,
    ) -> Result<Plan, StoreError> {
        match self.step_her(speaker, input, pressed, message)? {
            Carry::Done(plan) => Ok(plan),
            Carry::Writes(step) => self.carry_her(step),
        }
    }

    pub(super) fn her_plan(
        &self,
        speaker: &Speaker,
        handled: Handled,
        hide: bool,
        pressed: Option<i32>,
        message: Option<i32>,
    ) -> Plan {
        let chat = Chat::Her(speaker.chat_id);
        let mut plan = Plan::new();
        if let (true, Some(message)) = (handled.delete_incoming, message) {
            // What she typed: off the screen at once.
            let (chat, id) = (chat.clone(), message);
            plan.push(Deed::Unsend { chat, id });
        }
        for reply in handled.replies {
            if reply.to != Recipient::Her {
                tracing::warn!(event = "reply_to_staff_not_delivered");
                continue;
            }
            let then = match (handled.erased, handled.delete_replies_later) {
                (false, _) => Remember::Hers {
                    exposed: reply.exposes,
                    expires: reply.expires,
                },
                (true, true) => Remember::EraseNote,
                // She was erased: nothing of this exchange is remembered.
                (true, false) => Remember::Nothing,
            };
            plan.show(Show {
                pressed,
                then,
                failing: Failing::Stops,
                ..Show::new(chat.clone(), reply)
            });
        }
        plan.delete(chat.clone(), handled.delete);
        if let (true, Some(message)) = (handled.relayed_incoming, message) {
            // Her words to the specialist stay until the conversation goes
            // quiet (remembered before they are passed on).
            let then = Remember::Live { hers: true };
            plan.push(Deed::Known {
                chat: chat.clone(),
                id: message,
                then,
            });
        }
        plan.extend(handled.notices);
        plan.extend(self.remove_cards(handled.delete_for_staff));
        if hide {
            // The note after an Erase a minute ago is still on her screen: it
            // goes too (the pressed one, if it was the note, is the cover now).
            let note = self.take_erase_note(speaker.chat_id);
            let rest = note.into_iter().filter(|id| Some(*id) != pressed).collect();
            plan.delete(chat.clone(), rest);
        }
        if let (false, false, Some(message)) = (handled.erased, handled.delete_incoming, message) {
            let then = Remember::Hers {
                exposed: false,
                expires: false,
            };
            plan.push(Deed::Known {
                chat,
                id: message,
                then,
            });
        }
        plan
    }

    /// After her update failed: what she sent off her screen (it may be what
    /// she could not say elsewhere), and an apology with the menu, in her
    /// language if known — remembered, so Hide and Erase remove it too.
    pub fn on_failure(&self, speaker: &Speaker, message: Option<i32>) -> Plan {
        let chat = Chat::Her(speaker.chat_id);
        let mut plan = Plan::new();
        if let Some(id) = message {
            let chat = chat.clone();
            plan.push(Deed::Unsend { chat, id });
        }
        plan.show(Show {
            then: Remember::Hers {
                exposed: false,
                expires: false,
            },
            ..Show::new(chat, self.apology(speaker))
        });
        plan
    }

    /// A staff member's command, button or text, in their private chat.
    pub fn on_staff(
        &self,
        member: &StaffMember,
        input: DeskInput,
        pressed: Option<i32>,
        message: Option<i32>,
    ) -> Result<Plan, StoreError> {
        if !self.may_work(member) {
            // Suspended (or disabled), whatever the shell saw: nothing done.
            tracing::warn!(event = "desk_input_while_suspended", by = %member.handle);
            return Ok(Plan::new());
        }
        let handled = self.handle_staff(member, input)?;
        let chat = Chat::Staff {
            handle: member.handle.clone(),
            id: member.id as i64,
        };
        let mut plan = Plan::new();
        if let (true, Some(message)) = (handled.delete_incoming, message) {
            // A handover note: kept sealed with her request, not in this chat.
            let (chat, id) = (chat.clone(), message);
            plan.push(Deed::Unsend { chat, id });
        }
        plan.extend(self.remove_cards(handled.delete_for_staff));
        plan.extend(handled.notices);
        let answer = |replies: Vec<Rendered>| -> Vec<Deed> {
            let mine = Recipient::Staff(member.handle.clone());
            replies
                .into_iter()
                .filter(|reply| {
                    let here = reply.to == mine;
                    if !here {
                        tracing::warn!(event = "desk_reply_elsewhere_not_delivered");
                    }
                    here
                })
                .map(|reply| {
                    // Where the card is, so it can go when the claim ends.
                    let then = reply.card.map_or(Remember::Nothing, Remember::Card);
                    Deed::Show(Show {
                        pressed,
                        then,
                        failing: Failing::Stops,
                        ..Show::new(chat.clone(), reply)
                    })
                })
                .collect()
        };
        match handled.to_her {
            // She is in the conversation: the reply goes at once, silently,
            // and the writer's answer ("sent") only once it went.
            Some(live) => plan.show(Show {
                and_then: answer(handled.replies),
                ..live
            }),
            None => plan.deeds.extend(answer(handled.replies)),
        }
        Ok(plan)
    }
}
