//! What each step of the wizard shows: its question, its buttons, the summary.

use super::*;

fn choice<T: Copy + PartialEq>(
    label: impl Into<Text>,
    value: T,
    current: Option<T>,
    action: Action,
) -> Button {
    Button {
        selected: current == Some(value),
        ..Button::new(label, action)
    }
}

fn nav_row() -> Vec<Button> {
    vec![
        Button::new(text::BUTTON_BACK, Action::Wizard(WizardAction::Back)),
        Button::new(text::BUTTON_CANCEL, Action::Wizard(WizardAction::Cancel)),
    ]
}

/// An optional answer's buttons: *keep* what is there (on *Change*, or back
/// from the summary), and *skip*.
fn keep_or_skip(given: bool, keep: MsgId) -> Vec<Vec<Button>> {
    let skip = vec![Button::new(
        text::BUTTON_SKIP,
        Action::Wizard(WizardAction::Skip),
    )];
    if given {
        vec![
            vec![Button::new(keep, Action::Wizard(WizardAction::Keep))],
            skip,
        ]
    } else {
        vec![skip]
    }
}

fn line(id: MsgId, value: MsgId) -> Text {
    Text::new(id).arg("value", Arg::Msg(value))
}

// A table: one arm per step.
#[allow(clippy::too_many_lines)]
pub fn render(draft: &Draft, lang: &str, ctx: &Ctx) -> Reply {
    let one_per_row =
        |buttons: Vec<Button>| buttons.into_iter().map(|b| vec![b]).collect::<Vec<_>>();
    let (parts, mut keyboard) = match draft.step {
        Step::Topic => (
            vec![Text::new(text::WIZARD_TOPIC)],
            one_per_row(
                Topic::REQUESTABLE
                    .into_iter()
                    .map(|t| {
                        choice(
                            t.label(),
                            t,
                            draft.topic,
                            Action::Wizard(WizardAction::Topic(t)),
                        )
                    })
                    .collect(),
            ),
        ),
        Step::Urgency => (
            vec![Text::new(text::WIZARD_URGENCY)],
            one_per_row(
                [Urgency::CanWait, Urgency::WithinDay, Urgency::DangerNow]
                    .into_iter()
                    .map(|u| {
                        choice(
                            u.label(),
                            u,
                            draft.urgency,
                            Action::Wizard(WizardAction::Urgency(u)),
                        )
                    })
                    .collect(),
            ),
        ),
        Step::Contact => {
            let mut parts = Vec::new();
            if draft.danger() {
                parts.push(Text::new(text::DANGER_NOW));
            }
            parts.push(Text::new(text::WIZARD_CONTACT));
            let buttons = ContactMethod::ALL
                .into_iter()
                .map(|c| {
                    choice(
                        c.label(),
                        c,
                        draft.contact,
                        Action::Wizard(WizardAction::Contact(c)),
                    )
                })
                .collect();
            (parts, one_per_row(buttons))
        }
        Step::Phone => (vec![Text::new(text::WIZARD_PHONE)], Vec::new()),
        Step::SafeTime => (
            vec![Text::new(text::WIZARD_SAFE_TIME)],
            one_per_row(
                SafeTime::ALL
                    .into_iter()
                    .map(|t| {
                        // Her choice with its hours: "Evening (17:00–21:00)".
                        let (from, to) = ctx.windows.of(t).shown();
                        choice(
                            Text::new(text::TIME_WINDOW)
                                .arg("label", Arg::Msg(t.label()))
                                .arg("from", from)
                                .arg("to", to),
                            t,
                            draft.safe_time,
                            Action::Wizard(WizardAction::SafeTime(t)),
                        )
                    })
                    .collect(),
            ),
        ),
        Step::IfOther => (
            vec![Text::new(text::WIZARD_IF_OTHER)],
            one_per_row(
                IfOtherAnswers::ALL
                    .into_iter()
                    .map(|c| {
                        choice(
                            c.label(),
                            c,
                            draft.if_other,
                            Action::Wizard(WizardAction::IfOther(c)),
                        )
                    })
                    .collect(),
            ),
        ),
        Step::CodeWord => (
            vec![Text::new(text::WIZARD_CODE_WORD).arg("max", MAX_CODE_WORD as i64)],
            keep_or_skip(draft.code_word.is_some(), text::BUTTON_KEEP_CODE_WORD),
        ),
        Step::Description => (
            vec![Text::new(text::WIZARD_DESCRIPTION).arg("max", MAX_DESCRIPTION as i64)],
            keep_or_skip(draft.description.is_some(), text::BUTTON_KEEP_DESCRIPTION),
        ),
        Step::Summary => (summary(draft, lang, ctx), summary_buttons()),
        Step::Change => (vec![Text::new(text::WIZARD_CHANGE)], change_buttons(draft)),
    };
    if draft.step != Step::Summary {
        keyboard.push(nav_row());
    }
    let mut reply = Reply::new(parts, keyboard);
    reply.exposes = draft.step == Step::Summary && draft.calls() && draft.phone.is_some();
    reply
}

fn summary(draft: &Draft, _lang: &str, ctx: &Ctx) -> Vec<Text> {
    let mut parts = vec![Text::new(text::WIZARD_SUMMARY)];
    let mut lines = Vec::new();
    if let Some(topic) = draft.topic {
        lines.push(line(text::SUMMARY_TOPIC, topic.label()));
    }
    if let Some(urgency) = draft.urgency {
        lines.push(line(text::SUMMARY_URGENCY, urgency.label()));
    }
    if let Some(contact) = draft.contact {
        lines.push(line(text::SUMMARY_CONTACT, contact.label()));
    }
    if let (true, Some(phone)) = (draft.calls(), &draft.phone) {
        // In full, so she can check it; the confirmation shows it masked.
        lines.push(Text::new(text::SUMMARY_PHONE).arg("phone", phone.e164()));
        if draft.phone_not_own {
            lines.push(Text::new(text::SUMMARY_PHONE_NOT_OWN));
        }
    }
    if let Some(time) = draft.safe_time {
        lines.push(line(text::SUMMARY_SAFE_TIME, time.label()));
    }
    if let (true, Some(choice)) = (draft.calls(), draft.if_other) {
        lines.push(line(text::SUMMARY_IF_OTHER, choice.label()));
        lines.push(Text::new(if draft.code_word.is_some() {
            text::SUMMARY_CODE_WORD_SET
        } else {
            text::SUMMARY_CODE_WORD_NONE
        }));
    }
    lines.push(Text::new(if draft.description.is_some() {
        text::SUMMARY_DESCRIPTION_ADDED
    } else {
        text::SUMMARY_DESCRIPTION_NONE
    }));
    parts.push(Text::lines(lines));
    parts.push(crate::conversation::contact_policy(ctx));
    parts
}

fn summary_buttons() -> Vec<Vec<Button>> {
    vec![
        vec![Button::new(
            text::BUTTON_SEND,
            Action::Wizard(WizardAction::Send),
        )],
        vec![
            Button::new(text::BUTTON_CHANGE, Action::Wizard(WizardAction::Change)),
            Button::new(text::BUTTON_CANCEL, Action::Wizard(WizardAction::Cancel)),
        ],
    ]
}

fn change_buttons(draft: &Draft) -> Vec<Vec<Button>> {
    let edit = |label: MsgId, step: Step| {
        vec![Button::new(label, Action::Wizard(WizardAction::Edit(step)))]
    };
    let mut rows = vec![
        edit(text::CHANGE_TOPIC, Step::Topic),
        edit(text::CHANGE_URGENCY, Step::Urgency),
        edit(text::CHANGE_CONTACT, Step::Contact),
    ];
    if draft.calls() {
        rows.push(edit(text::CHANGE_PHONE, Step::Phone));
    }
    rows.push(edit(text::CHANGE_SAFE_TIME, Step::SafeTime));
    if draft.calls() {
        rows.push(edit(text::CHANGE_IF_OTHER, Step::IfOther));
        rows.push(edit(text::CHANGE_CODE_WORD, Step::CodeWord));
    }
    rows.push(edit(text::CHANGE_DESCRIPTION, Step::Description));
    rows
}
