//! Her screen turned into the cover when she leaves it alone: the timed job
//! that looks, and the message that shows the cover.

use super::*;

impl App {
    /// Her screen's idle job is due. If she did nothing for the idle time and
    /// her screen is not already the cover: the cover (in her language) over
    /// the newest of her chat's messages that can be edited, the others
    /// deleted — a knock not yet opened excepted. If she did something since,
    /// the job is set again.
    pub(super) fn idle_cover(&self, chat: i64) -> Result<Plan, StoreError> {
        let now = self.clock.now();
        let who = self.keys.pseudonym(chat as u64);
        let _her = self.store.lock(&who);
        let Some(conversation) = self.store.load(&who, now)? else {
            return Ok(Plan::new());
        };
        let (dialogue, mut links) = (conversation.dialogue, conversation.links);
        let idle = Duration::minutes(self.config.idle_cover_minutes.into());
        let last = dialogue.updated_at;
        links.idle_due = None;
        if idle > Duration::zero() && now - last < idle {
            let due = last + idle;
            links.idle_due = Some(due);
            self.schedule_at(due, &Job::IdleCover { chat })?;
            self.store.save(&who, &dialogue, &links, now)?;
            return Ok(Plan::new());
        }
        let hidden = links.hidden_at.is_some_and(|at| at >= last);
        let covered = matches!(dialogue.screen, Screen::Covid(_));
        let mut ids = if hidden || covered || idle == Duration::zero() {
            Vec::new()
        } else {
            self.store.take_tracked(&who, None, now)?
        };
        // A knock not yet opened stays as it is: it says nothing, and covering
        // it would take her letter's *Open* away (a knock can come within the
        // idle time of her last tap). Kept for Hide and Erase.
        let knocks = self.store.unopened_knocks(chat, &ids)?;
        if !knocks.is_empty() {
            ids.retain(|id| !knocks.contains(id));
            self.store.track(&who, &knocks, now)?;
        }
        self.store.save(&who, &dialogue, &links, now)?;
        if ids.is_empty() {
            return Ok(Plan::new());
        }
        tracing::info!(event = "idle_screen_covered");
        let mut cover = conversation::covid::render(1);
        cover.delivery = Delivery::EditPressed;
        Ok(Plan::from(vec![Deed::Cover {
            chat: Chat::Her(chat),
            ids,
            message: render(&self.locales, &self.config.center, &dialogue.lang, &cover),
        }]))
    }

    /// The message that now shows the cover is remembered, so Hide and Erase
    /// remove it too.
    pub(super) fn idle_covered(&self, chat: i64, message: i32) -> Result<(), StoreError> {
        let who = self.keys.pseudonym(chat as u64);
        let _her = self.store.lock(&who);
        self.store.track(&who, &[message], self.clock.now())
    }
}
