//! What the shells show and read, above both cores: replies rendered in her
//! language ([`render`]), buttons' data and its codec ([`button_data`]), and
//! the one table of commands ([`commands`]). Her core and the desk import
//! nothing from here.

pub mod button_data;
pub mod commands;
pub mod render;
