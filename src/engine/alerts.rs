//! Who hears of what: the desk's notices addressed to a staff member, the
//! supervisors, whoever is on duty or the staff chat, each in their language,
//! and the rule for an alert that cannot reach its staff member.

use super::*;

impl App {
    /// The bot restarted after it stopped without closing cleanly: the staff
    /// chat is told (nothing confirmed is lost; a reply in flight may be).
    pub fn restarted_notice(&self) -> plan::Plan {
        let mut notice = desk::restarted();
        notice.to = Recipient::StaffChat;
        plan::Plan::from(self.for_staff_chat(notice))
    }

    /// The deeds that bring the desk's notices to the people they are for:
    /// one staff member, every supervisor, or whoever is on duty — else the
    /// on-call staff — each in their language; else the staff chat, in its
    /// (the default) language. An alert for a staff member that cannot reach
    /// them (never started the bot, or blocked it) goes to the staff chat
    /// instead, so it reaches someone; her words never go to the staff chat.
    pub(super) fn address(
        &self,
        notices: Vec<desk::Reply>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<plan::Plan, StoreError> {
        let max = Duration::hours(self.config.duty_max_hours.into());
        // A suspended member receives nothing: when only they would, the
        // staff chat does.
        let mut on_duty = Vec::new();
        for member in self.active_staff() {
            if self.store.on_duty(&member.handle, now, max)? {
                on_duty.push(member);
            }
        }
        if on_duty.is_empty() {
            on_duty = self.active_staff().filter(|m| m.on_call).collect();
        }
        let supervisors: Vec<&StaffMember> = self.active_staff().filter(|m| m.supervisor).collect();
        let mut plan = plan::Plan::new();
        for notice in notices {
            let members = match &notice.to {
                Recipient::Staff(handle) => self
                    .active_staff()
                    .filter(|m| &m.handle == handle)
                    .collect(),
                Recipient::Supervisors => supervisors.clone(),
                Recipient::OnDuty => on_duty.clone(),
                _ => Vec::new(),
            };
            if members.is_empty() {
                plan.deeds.extend(self.for_staff_chat(notice));
                continue;
            }
            for member in members {
                plan.show(self.for_member(&notice, member));
            }
        }
        Ok(plan)
    }

    /// A notice for one staff member, in their language; should it not reach
    /// them, the staff chat gets it instead (not her words).
    pub(super) fn for_member(&self, notice: &desk::Reply, member: &StaffMember) -> plan::Show {
        let mut notice = notice.clone();
        notice.to = Recipient::Staff(member.handle.clone());
        let lang = self.staff_language(member);
        let rendered = render(&self.locales, &self.config.center, &lang, &notice);
        let chat = plan::Chat::Staff {
            handle: member.handle.clone(),
            id: member.id as i64,
        };
        let mut show = plan::Show::new(chat, rendered);
        match notice.relayed {
            Some(request) => show.then = plan::Remember::Relayed(request),
            None => show.failing = plan::Failing::Instead(self.for_staff_chat(notice)),
        }
        show
    }

    /// A notice for the staff chat, in its language: none when there is no
    /// staff chat, or when it holds her words.
    pub(super) fn for_staff_chat(&self, mut notice: desk::Reply) -> Vec<plan::Deed> {
        let (Some(chat), None) = (self.config.staff_chat, notice.relayed) else {
            tracing::warn!(event = "staff_notice_not_delivered");
            return Vec::new();
        };
        notice.to = Recipient::StaffChat;
        let lang = self.locales.default_code();
        let rendered = render(&self.locales, &self.config.center, lang, &notice);
        let show = plan::Show::new(plan::Chat::StaffChat(chat), rendered);
        vec![plan::Deed::Show(show)]
    }

    /// The language of staff member `handle` (the default for anyone else).
    pub(super) fn language_of(&self, handle: &str) -> String {
        self.staff
            .iter()
            .find(|m| m.handle == handle)
            .map_or(self.locales.default_code().to_string(), |m| {
                self.staff_language(m)
            })
    }

    /// The language the desk speaks to a staff member: the one they chose
    /// with `/language`, else the first they speak that the bot has, else
    /// the default.
    pub(super) fn staff_language(&self, member: &StaffMember) -> String {
        let chosen = self
            .staff_languages
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(member.handle.as_str())
            .filter(|lang| self.locales.has(lang))
            .cloned();
        chosen.unwrap_or_else(|| {
            member
                .languages
                .iter()
                .find(|l| self.locales.has(l))
                .map_or(self.locales.default_code(), String::as_str)
                .to_string()
        })
    }

    /// Whether someone is on duty or on call now (an alert would reach them).
    pub(super) fn someone_reachable(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError> {
        let max = Duration::hours(self.config.duty_max_hours.into());
        for member in self.active_staff() {
            if member.on_call || self.store.on_duty(&member.handle, now, max)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The languages staff speak, when none of them speaks `lang` (empty when
    /// someone does, or when there is no staff to ask).
    pub(super) fn answered_in(&self, lang: &str) -> Vec<String> {
        let staff: Vec<_> = self.active_staff().collect();
        let speaks = |l: &String| staff.iter().any(|m| m.languages.contains(l));
        if staff.is_empty() || self.languages.iter().any(|l| l == lang && speaks(l)) {
            return Vec::new();
        }
        self.languages
            .iter()
            .filter(|l| speaks(l))
            .cloned()
            .collect()
    }

    /// `/language`: the desk speaks the bot's `n`th language to `member`.
    pub(super) fn set_staff_language(
        &self,
        member: &StaffMember,
        n: u8,
    ) -> Result<desk::DeskEvent, StoreError> {
        let Some(lang) = self.languages.get(usize::from(n)) else {
            return Ok(desk::DeskEvent::Languages(self.languages.clone()));
        };
        self.store
            .set_staff_language(member.handle.as_str(), lang)?;
        self.staff_languages
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(member.handle.to_string(), lang.clone());
        Ok(desk::DeskEvent::LanguageSet)
    }
}
