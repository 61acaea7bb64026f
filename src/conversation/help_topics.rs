//! "Get help": the list of topics, one screen per topic, and the safety plan.

use super::{contact_policy, menu_row, working_hours, Action, Button, Ctx, Reply, Topic};
use crate::i18n::text::{self, Text};

pub fn render() -> Reply {
    let mut keyboard: Vec<Vec<Button>> = Topic::ALL
        .iter()
        .map(|&topic| vec![Button::new(topic.label(), Action::Topic(topic))])
        .collect();
    keyboard.push(vec![Button::new(
        text::TOPIC_SAFETY_PLAN,
        Action::SafetyPlan,
    )]);
    keyboard.push(menu_row());
    Reply::new(vec![Text::new(text::HELP_TOPICS)], keyboard)
}

/// What the center does for one need, how it contacts people, and a way to ask.
pub fn render_topic(topic: Topic, lang: &str, ctx: &Ctx) -> Reply {
    let body = match topic {
        Topic::Legal => text::CATEGORY_LEGAL,
        Topic::Documents => text::CATEGORY_DOCUMENTS,
        Topic::Psychological => text::CATEGORY_PSYCHOLOGICAL,
        Topic::Support => text::CATEGORY_SUPPORT,
        // The shelter has its own screen, with today's availability.
        Topic::Shelter => return super::shelter::render(lang, ctx),
        Topic::Other => return render(),
    };
    let mut parts = vec![Text::new(body), contact_policy(ctx)];
    parts.extend(working_hours(lang, ctx));
    Reply::new(
        parts,
        vec![
            vec![Button::new(
                text::BUTTON_REQUEST_TOPIC,
                Action::RequestCallback(Some(topic)),
            )],
            vec![Button::new(text::BUTTON_BACK, Action::HelpTopics)],
            menu_row(),
        ],
    )
}

pub fn render_safety_plan() -> Reply {
    Reply::new(
        vec![Text::new(text::SAFETY_PLAN)],
        vec![
            vec![Button::new(text::BUTTON_BACK, Action::HelpTopics)],
            menu_row(),
        ],
    )
}
