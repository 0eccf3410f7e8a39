//! Checks of the specs: the project's rules (`cargo xtask lint`) and agreement with the
//! vendors' pages (`cargo xtask docs check`).

pub mod lint;
pub mod pages;
