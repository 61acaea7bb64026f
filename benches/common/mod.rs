//! What both benchmarks send: one request, as a woman fills the wizard.

use ak_jurok::domain::phone::Phone;
use ak_jurok::domain::request::{
    ContactMethod, IfOtherAnswers, SafeTime, Submission, Topic, Urgency,
};

pub fn submission() -> Submission {
    Submission {
        topic: Topic::Legal,
        urgency: Urgency::WithinDay,
        contact: ContactMethod::Call,
        safe_time: SafeTime::Any,
        if_other: Some(IfOtherAnswers::HangUp),
        phone: Phone::parse("0700 123 456").ok(),
        phone_not_own: false,
        code_word: Some("sunflower".into()),
        description: Some("help with documents".into()),
    }
}
