//! Her side: her update stepped through her core, the effects carried out on
//! the store, and what her conversation with a specialist leaves in her chat.

use super::plan::Plan;
use super::*;
use crate::conversation::SessionChange;
use crate::store::Version;

/// Whether carrying out the step waits for no disk: she stays in a
/// conversation (no key destroyed), and its effects only delete messages.
fn waits_for_no_disk(outcome: &conversation::Stepped) -> bool {
    outcome.dialogue.is_some()
        && outcome.effects.iter().all(|e| {
            matches!(
                e,
                Effect::DeleteIncoming | Effect::DeleteTracked { .. } | Effect::DeleteReplyLater
            )
        })
}

/// What her core says changes in her session, written down: the messages
/// that showed what she typed, to delete now. (The idle cover's job, for
/// `StillHere`, is decided where her step is, with her lock held.)
fn write_down(
    changes: &[SessionChange],
    links: &mut Session,
    pressed: Option<i32>,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<i32> {
    let mut exposed = Vec::new();
    for change in changes {
        match *change {
            SessionChange::Hidden => links.hidden_at = Some(now),
            SessionChange::StartedRequest => links.count_start(now),
            SessionChange::TypedGoes { keep_pressed } => {
                exposed = links.take_exposed(pressed.filter(|_| keep_pressed), now);
            }
            SessionChange::StillHere => {}
        }
    }
    exposed
}

/// Her update, stepped: either carried out already (it waited for no disk)
/// or to be carried out where waiting for the disk blocks nobody.
pub enum Carry {
    Done(Plan),
    Writes(Box<HerStep>),
}

/// Her update stepped through her core and not yet carried out. It holds no
/// lock while it waits for a thread (a lock held across that wait could stall
/// the blocking pool); it remembers her conversation as the step saw it, and
/// [`App::carry_her`] steps her again only if that changed in between.
/// Prints nothing of her.
pub struct HerStep {
    speaker: Speaker,
    input: Input,
    /// Her sealed conversation when she was stepped.
    version: Version,
    /// It waits for no disk: carried out at once.
    light: bool,
    pressed: Option<i32>,
    message: Option<i32>,
    seen: Seen,
    lang_before: Option<String>,
    idle_job: bool,
    outcome: conversation::Stepped,
    links: Session,
}

impl std::fmt::Debug for HerStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HerStep(..)")
    }
}

/// What her core was told that the engine read: the same when the step is
/// carried out, on whatever thread.
struct Seen {
    now: chrono::DateTime<chrono::Utc>,
    shelter: Option<crate::domain::shelter::ShelterStatus>,
    my_request: Option<RequestView>,
    may_start_request: bool,
}

impl Seen {
    fn of(ctx: &Ctx) -> Seen {
        Seen {
            now: ctx.now,
            shelter: ctx.shelter,
            my_request: ctx.my_request.clone(),
            may_start_request: ctx.may_start_request,
        }
    }

    fn ctx<'a>(self, app: &'a App, speaker: &Speaker) -> Ctx<'a> {
        Ctx {
            now: self.now,
            shelter: self.shelter,
            my_request: self.my_request,
            may_start_request: self.may_start_request,
            ..app.bare_ctx(speaker)
        }
    }
}

/// Her step being carried out: what its effects change.
struct Turn<'a, 'c> {
    speaker: &'a Speaker,
    pressed: Option<i32>,
    links: Session,
    ctx: Ctx<'c>,
    replies: Vec<Reply>,
    handled: Handled,
    /// Her dialogue is stored already (Send and Erase store it themselves).
    dialogue_stored: bool,
}

impl App {
    pub(super) fn my_request(&self, links: &Session) -> Option<RequestView> {
        self.store.view_request(links).unwrap_or_else(|_| {
            tracing::error!(event = "request_unreadable");
            None
        })
    }

    /// Her update stepped through her core, once, under her lock: carried out
    /// at once when it waits for no disk (she has a conversation — no key to
    /// write — the step only moves her through the screens — nothing flushed —
    /// and no idle-cover job is due to be written); else [`Carry::Writes`],
    /// with nothing written yet, for [`App::carry_her`] where waiting for the
    /// disk blocks nobody.
    pub fn step_her(
        &self,
        speaker: &Speaker,
        input: Input,
        pressed: Option<i32>,
        message: Option<i32>,
    ) -> Result<Carry, StoreError> {
        // Everything below reads and writes her rows: one at a time per person.
        let _her = self.store.lock(&speaker.who);
        let step = self.step_locked(speaker, input, pressed, message)?;
        Ok(if step.light {
            Carry::Done(self.carry_locked(step)?)
        } else {
            Carry::Writes(Box::new(step))
        })
    }

    /// A step that writes, carried out under her lock taken again: its plan.
    /// If her conversation changed since she was stepped (another update of
    /// hers, a timed job), she is stepped again from what is there now.
    pub fn carry_her(&self, step: Box<HerStep>) -> Result<Plan, StoreError> {
        let step = *step;
        let _her = self.store.lock(&step.speaker.who);
        if self.store.version(&step.speaker.who)? == step.version {
            return self.carry_locked(step);
        }
        tracing::info!(event = "her_step_taken_again");
        let HerStep {
            speaker,
            input,
            pressed,
            message,
            ..
        } = step;
        let again = self.step_locked(&speaker, input, pressed, message)?;
        self.carry_locked(again)
    }

    /// Her conversation loaded and stepped; her lock is held.
    fn step_locked(
        &self,
        speaker: &Speaker,
        input: Input,
        pressed: Option<i32>,
        message: Option<i32>,
    ) -> Result<HerStep, StoreError> {
        let version = self.store.version(&speaker.who)?;
        let (ctx, previous, links) = self.her_before(speaker, &input)?;
        let lang_before = previous.as_ref().map(|d| d.lang.clone());
        let known = previous.is_some();
        let outcome = conversation::step(previous, input.clone(), &ctx);
        let idle = Duration::minutes(self.config.idle_cover_minutes.into());
        let idle_job = idle > Duration::zero()
            && outcome.session.contains(&SessionChange::StillHere)
            && links.idle_due.is_none_or(|due| due <= ctx.now);
        Ok(HerStep {
            speaker: speaker.clone(),
            input,
            version,
            light: known && !idle_job && waits_for_no_disk(&outcome),
            pressed,
            message,
            seen: Seen::of(&ctx),
            lang_before,
            idle_job,
            outcome,
            links,
        })
    }

    /// Her step carried out on the store, her lock held: her plan.
    fn carry_locked(&self, step: HerStep) -> Result<Plan, StoreError> {
        let HerStep {
            speaker,
            pressed,
            message,
            seen,
            lang_before,
            idle_job,
            outcome,
            mut links,
            ..
        } = step;
        let speaker = &speaker;
        let who = &speaker.who;
        let ctx = seen.ctx(self, speaker);
        let hide = outcome.session.contains(&SessionChange::Hidden);
        let exposed = write_down(&outcome.session, &mut links, pressed, ctx.now);
        let lang = outcome
            .dialogue
            .as_ref()
            .map(|d| d.lang.clone())
            .or(lang_before)
            .unwrap_or_else(|| ctx.default_language.to_string());
        // Her screen turns into the cover if she walks away from it: one timed
        // job at a time, which looks again when it is due.
        if idle_job {
            let idle = Duration::minutes(self.config.idle_cover_minutes.into());
            links.idle_due = Some(ctx.now + idle);
            let chat = speaker.chat_id;
            self.schedule(idle, &Job::IdleCover { chat })?;
        }
        let now = ctx.now;
        let mut turn = Turn {
            speaker,
            pressed,
            links,
            ctx,
            replies: outcome.replies,
            handled: Handled::default(),
            dialogue_stored: false,
        };
        for effect in outcome.effects {
            self.carry_effect(&mut turn, effect, outcome.dialogue.as_ref())?;
        }
        let mut handled = turn.handled;
        for id in exposed {
            if !handled.delete.contains(&id) {
                handled.delete.push(id);
            }
        }
        if !turn.dialogue_stored {
            match &outcome.dialogue {
                Some(dialogue) => self.store.save(who, dialogue, &turn.links, now)?,
                None => {
                    self.store.erase(who, true, now)?;
                }
            }
        }
        handled.replies = turn
            .replies
            .iter()
            .map(|reply| render(&self.locales, &self.config.center, &lang, reply))
            .collect();
        Ok(self.her_plan(speaker, handled, hide, pressed, message))
    }

    /// Her conversation before the step, and what her core is told: her
    /// request when the step may show it, whether she may start another today.
    /// Her Hide is remembered (nothing is delivered to her for a while).
    fn her_before(
        &self,
        speaker: &Speaker,
        input: &Input,
    ) -> Result<(Ctx<'_>, Option<conversation::Dialogue>, Session), StoreError> {
        let mut ctx = self.ctx(speaker);
        let (previous, links) = match self.store.load(&speaker.who, ctx.now)? {
            Some(conversation) => (Some(conversation.dialogue), conversation.links),
            None => (None, Session::default()),
        };
        if conversation::needs_my_request(previous.as_ref(), input) {
            ctx.my_request = self.my_request(&links);
        }
        ctx.may_start_request = links.starts_on(ctx.now) < self.config.wizard_starts_per_day;
        Ok((ctx, previous, links))
    }

    /// One effect of her step, carried out on the store.
    fn carry_effect(
        &self,
        turn: &mut Turn,
        effect: Effect,
        dialogue: Option<&conversation::Dialogue>,
    ) -> Result<(), StoreError> {
        let who = &turn.speaker.who.clone();
        match effect {
            Effect::DeleteIncoming => turn.handled.delete_incoming = true,
            Effect::DeleteTracked { keep_pressed } => {
                let keep = turn.pressed.filter(|_| keep_pressed);
                // Tracked ids include the exposed ones: all of them go.
                turn.links.take_exposed(keep, turn.ctx.now);
                turn.handled.delete = self.store.take_tracked(who, keep, turn.ctx.now)?;
            }
            Effect::Submit {
                submission,
                replaces,
            } => {
                let Some(dialogue) = dialogue else {
                    return Ok(());
                };
                let (answer, notices) = self.submit(
                    turn.speaker,
                    dialogue,
                    submission,
                    replaces,
                    &mut turn.links,
                    &mut turn.ctx,
                )?;
                turn.replies.extend(answer);
                turn.handled.notices.extend(notices);
                turn.dialogue_stored = true;
            }
            Effect::CancelRequest => self.cancel_request(turn)?,
            Effect::RevealRequest { code } => {
                let letters =
                    self.reveal(&code, &mut turn.links, turn.ctx.now, &mut turn.handled)?;
                turn.ctx.my_request = self.my_request(&turn.links);
                turn.replies.extend(conversation::answer(
                    &Event::CodeTried { letters },
                    &turn.ctx,
                ));
            }
            Effect::Erase { cancel_request } => self.erase(turn, cancel_request)?,
            Effect::DeleteReplyLater => turn.handled.delete_replies_later = true,
            Effect::Relay(words) => {
                if let Some(event) = self.relay_from_her(
                    turn.speaker,
                    &turn.links,
                    &words,
                    turn.ctx.now,
                    &mut turn.handled,
                )? {
                    turn.replies.extend(conversation::answer(&event, &turn.ctx));
                }
            }
            Effect::OpenLetter(id) => {
                let event = self.open_letter(
                    turn.speaker,
                    &id,
                    &turn.links,
                    turn.ctx.now,
                    &mut turn.handled,
                )?;
                turn.replies.extend(conversation::answer(&event, &turn.ctx));
            }
        }
        Ok(())
    }

    /// She cancelled her request: if someone holds it, they are told, and
    /// the card goes.
    fn cancel_request(&self, turn: &mut Turn) -> Result<(), StoreError> {
        let Some(record) = self.store.cancel_request(&turn.links, turn.ctx.now)? else {
            return Ok(());
        };
        tracing::info!(event = "request_cancelled_by_her");
        if let Status::Claimed { by, card, .. } = &record.status {
            let messages = card.iter().chain(&record.relayed).copied().collect();
            self.withdraw(&mut turn.handled, &record.code, by, messages, turn.ctx.now)?;
        }
        Ok(())
    }

    /// She erased the chat (and cancelled her request, or kept it): her keys
    /// are destroyed; whoever held a request she cancelled is told.
    fn erase(&self, turn: &mut Turn, cancel_request: bool) -> Result<(), StoreError> {
        let erased = self
            .store
            .erase(&turn.speaker.who, !cancel_request, turn.ctx.now)?;
        for (code, by, messages) in &erased.withdrawn {
            self.withdraw(&mut turn.handled, code, by, messages.clone(), turn.ctx.now)?;
        }
        // Her timed jobs name her chat: what they were still to delete goes
        // now, and they go with their keys (S10).
        for job in self.store.take_jobs_of(turn.speaker.chat_id)? {
            if let Job::DeleteMessages { ids, .. } = job {
                let fresh: Vec<i32> = ids
                    .into_iter()
                    .filter(|id| !turn.handled.delete.contains(id))
                    .collect();
                turn.handled.delete.extend(fresh);
            }
        }
        turn.handled.erased = true;
        turn.dialogue_stored = true;
        tracing::info!(
            event = "erased",
            request_cancelled = erased.cancelled,
            requests_kept = erased.kept
        );
        Ok(())
    }

    /// She pressed *Send*: her request queued (or her open one changed), unless
    /// she is blocked or too many wait already (not danger now); her dialogue is
    /// stored in every case. Her answer, and the staff's notices.
    fn submit(
        &self,
        speaker: &Speaker,
        dialogue: &crate::conversation::Dialogue,
        submission: crate::domain::request::Submission,
        replaces: Option<TicketCode>,
        links: &mut Session,
        ctx: &mut Ctx,
    ) -> Result<(Vec<Reply>, Plan), StoreError> {
        let in_hours = self.config.center.schedule.as_ref().map(|schedule| {
            matches!(
                schedule.expectation(ctx.now),
                crate::domain::schedule::Expectation::Today { .. }
            )
        });
        let submit = Submit {
            who: &speaker.who,
            block_tag: &self.keys.block_tag(&speaker.who),
            chat_id: speaker.chat_id,
            submission: &submission,
            dialogue,
            replaces: replaces.is_some(),
            max_waiting: self.config.max_waiting as usize,
            in_hours,
        };
        let mut notices = Plan::new();
        let event = match self.store.submit(&submit, links, ctx.now)? {
            Submitted::Blocked => {
                tracing::info!(event = "blocked_sender_not_queued");
                return Ok((conversation::answer(&Event::Blocked, ctx), notices));
            }
            Submitted::QueueFull => {
                // Too many wait already: she is asked to call, nothing is kept.
                tracing::warn!(event = "queue_full_request_not_taken");
                return Ok((conversation::answer(&Event::QueueFull, ctx), notices));
            }
            Submitted::NotQueued => Event::NotQueued,
            Submitted::Queued(queued) => {
                tracing::info!(event = "request_queued", urgency = submission.urgency.tag());
                if replaces.is_none() {
                    notices = self.new_request(&speaker.who, &queued, &submission, ctx.now)?;
                }
                let urgent = submission.urgency == crate::domain::request::Urgency::DangerNow;
                Event::Queued {
                    code: queued.code,
                    ahead: queued.ahead,
                    replaced: replaces.is_some(),
                    reachable: urgent && self.someone_reachable(ctx.now)?,
                    answered_in: self.answered_in(&dialogue.lang),
                    submission,
                }
            }
        };
        ctx.my_request = self.my_request(links);
        Ok((conversation::answer(&event, ctx), notices))
    }

    /// A new request is in the queue: a danger-now one is alerted again in
    /// ten minutes unless taken, and staff get its line (the notices).
    fn new_request(
        &self,
        who: &Pseudonym,
        queued: &crate::store::Enqueued,
        submission: &crate::domain::request::Submission,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Plan, StoreError> {
        let mut alarm = None;
        if submission.urgency == Urgency::DangerNow {
            let escalate = Job::Escalate {
                request: queued.id,
                step: 1,
            };
            self.schedule(Duration::minutes(ESCALATE_MINUTES), &escalate)?;
            alarm = Some(self.alarms.danger(*who, now));
        }
        if alarm.is_some_and(|a| !a.sound) {
            tracing::warn!(event = "danger_alert_silenced");
        }
        let waiting = self.store.queue_len() as u64;
        let lines = desk::new_request(
            queued.id,
            &queued.code,
            submission.topic,
            submission.urgency,
            waiting,
            alarm,
        );
        self.address(lines, now)
    }

    /// She withdrew a request `by` holds: that staff member is told at once, and
    /// the card with her details is deleted.
    pub(super) fn withdraw(
        &self,
        handled: &mut Handled,
        code: &str,
        by: &str,
        messages: Vec<i32>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        self.store
            .audit(now, by, &AuditAction::WithdrawnByHer, Some(code))?;
        let notices = self.address(vec![desk::withdrawn(by, code)], now)?;
        handled.notices.extend(notices);
        handled
            .delete_for_staff
            .extend(messages.into_iter().map(|m| (by.into(), m)));
        Ok(())
    }
}
