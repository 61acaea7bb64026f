//! The one place a [`Plan`] meets Telegram: every deed of any input — her
//! update, a staff member's, a timed job — is carried out here, and what
//! Telegram answered goes back to the engine through one door.

use std::collections::VecDeque;
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::MessageId;

use super::delivery::{kind_of, Tg};
use super::updates::{blocking, inline};
use super::{output, Shared};
use crate::engine::{Deed, Failing, Plan, Receipt, Remember};

/// Why an input, or a plan, failed: the class of its cause, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failure {
    /// Telegram refused the answer, or could not be reached (its error's kind).
    Telegram(&'static str),
    /// The store could not read or write.
    Store,
    /// A panic, caught.
    Panic,
    /// The blocking task was cancelled (the bot is stopping).
    Cancelled,
}

impl Failure {
    pub(super) fn cause(self) -> &'static str {
        match self {
            Failure::Telegram(kind) => kind,
            Failure::Store => "store",
            Failure::Panic => "panic",
            Failure::Cancelled => "cancelled",
        }
    }
}

/// What carrying out one deed came to.
#[derive(Default)]
struct Done {
    /// What to remember of it.
    receipt: Option<Receipt>,
    /// The deeds that follow from it (done next).
    next: Vec<Deed>,
    /// The input's own answer could not be shown: nothing more is done.
    failed: Option<Failure>,
}

/// How many plans what Telegram answered may lead to within one (a knock's
/// news, an old card to delete): a bound, not a number any input reaches
/// (remembering goes on past it; only what it would lead to is dropped).
const FOLLOW_UPS: usize = 16;

/// Carries out `plan`, deed by deed, and hands what Telegram answered to the
/// engine: at once, on the blocking pool, when remembering it writes to disk
/// (a card, a knock: a later deed may wait long for Telegram), and the rest
/// together at the end, right here (it waits for no disk). What that comes to
/// is carried out after the rest. Every receipt is handed back, even when the
/// input's answer failed: what was shown before is remembered.
pub(super) async fn perform(shared: &Arc<Shared>, plan: Plan) -> Result<(), Failure> {
    let mut todo: VecDeque<Deed> = plan.deeds.into();
    let mut light = Vec::new();
    let mut result = Ok(());
    let mut follow_ups = 0;
    while let Some(deed) = todo.pop_front() {
        let done = carry_out(&shared.tg, deed).await;
        for deed in done.next.into_iter().rev() {
            todo.push_front(deed);
        }
        match done.receipt {
            Some(receipt) if receipt.then.is_light() => light.push(receipt),
            Some(receipt) => match remember(shared, vec![receipt]).await {
                Ok(more) if more.is_empty() => {}
                Ok(more) if follow_ups < FOLLOW_UPS => {
                    follow_ups += 1;
                    todo.extend(more.deeds);
                }
                Ok(_) => tracing::error!(event = "follow_ups_dropped"),
                Err(failure) => result = Err(failure),
            },
            None => {}
        }
        if let Some(failure) = done.failed {
            result = Err(failure);
            break;
        }
    }
    if let Err(failure) = remember(shared, light).await {
        result = result.and(Err(failure));
    }
    result
}

async fn remember(shared: &Arc<Shared>, receipts: Vec<Receipt>) -> Result<Plan, Failure> {
    if receipts.is_empty() {
        return Ok(Plan::new());
    }
    let result = if receipts.iter().all(|r| r.then.is_light()) {
        inline(shared, |app| app.delivered(receipts))?
    } else {
        blocking(shared, move |app| app.delivered(receipts)).await?
    };
    result.map_err(|_| {
        tracing::error!(event = "receipts_not_remembered");
        Failure::Store
    })
}

/// Messages to staff (a member or the staff chat) that could not be
/// delivered, a fallback tried or not (for `--metrics`).
pub static UNDELIVERED_TO_STAFF: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(0);

async fn carry_out(bot: &Tg, deed: Deed) -> Done {
    match deed {
        Deed::Show(show) => {
            let chat = ChatId(show.to.id());
            let pressed = show.pressed.map(MessageId);
            let shown = output::deliver(bot, chat, pressed, &show.message).await;
            let receipt = (show.then != Remember::Nothing).then(|| Receipt {
                chat: show.to.clone(),
                id: shown.as_ref().ok().map(|m| m.0),
                then: show.then,
            });
            let error = match shown {
                Ok(_) => {
                    return Done {
                        receipt,
                        next: show.and_then,
                        failed: None,
                    }
                }
                Err(e) => kind_of(&e),
            };
            if let Failing::Stops = show.failing {
                return Done {
                    receipt,
                    next: Vec::new(),
                    failed: Some(Failure::Telegram(error)),
                };
            }
            tracing::warn!(event = "message_not_shown", to = ?show.to, kind = error);
            if !matches!(show.to, crate::engine::Chat::Her(_)) {
                UNDELIVERED_TO_STAFF.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let next = match show.failing {
                Failing::Instead(instead) => instead,
                _ => Vec::new(),
            };
            Done {
                receipt,
                next,
                failed: None,
            }
        }
        Deed::Unsend { chat, id } => {
            output::delete_one(bot, ChatId(chat.id()), MessageId(id)).await;
            Done::default()
        }
        Deed::Delete { chat, ids } => {
            output::delete_all(bot, ChatId(chat.id()), &ids).await;
            Done::default()
        }
        Deed::Remove { chat, id, stub } => {
            output::delete_or_stub(bot, ChatId(chat.id()), MessageId(id), stub).await;
            Done::default()
        }
        Deed::Cover { chat, ids, message } => {
            let shown = cover(bot, ChatId(chat.id()), &ids, &message).await;
            Done {
                receipt: shown.map(|id| Receipt {
                    chat,
                    id: Some(id),
                    then: Remember::Cover,
                }),
                ..Done::default()
            }
        }
        Deed::Known { chat, id, then } => Done {
            receipt: Some(Receipt {
                chat,
                id: Some(id),
                then,
            }),
            ..Done::default()
        },
    }
}

/// The newest of her messages the bot can edit becomes the cover (her own
/// cannot be edited); no new message, so nothing rings. The rest go.
async fn cover(
    bot: &Tg,
    chat: ChatId,
    ids: &[i32],
    message: &crate::ui::render::Rendered,
) -> Option<i32> {
    let mut shown = None;
    for id in ids.iter().rev().take(3) {
        if output::edit_only(bot, chat, MessageId(*id), message).await {
            shown = Some(*id);
            break;
        }
    }
    let rest: Vec<i32> = ids
        .iter()
        .copied()
        .filter(|id| Some(*id) != shown)
        .collect();
    output::delete_all(bot, chat, &rest).await;
    shown
}
