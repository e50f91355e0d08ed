//! The site's main sections that are not open yet: each says plainly what it will hold, so the
//! navigation is complete without pretending a feature works.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::layout::Breadcrumbs;

/// A primary section of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Workshops and masterclasses.
    Events,
    /// Newsletter archive.
    Newsletters,
    /// Foundation OH Standards self-assessment.
    Standards,
}

impl Section {
    fn title(self) -> &'static str {
        match self {
            Section::Events => "Events",
            Section::Newsletters => "Newsletters",
            Section::Standards => "Foundation OH Standards",
        }
    }

    fn purpose(self) -> &'static str {
        match self {
            Section::Events => {
                "CPD workshops and masterclasses for the network, with registration."
            }
            Section::Newsletters => "Network newsletters and their archive.",
            Section::Standards => {
                "Self-assessment of a force's occupational health service against the Foundation OH Standards."
            }
        }
    }
}

/// The page for a section that has not opened yet.
#[component]
pub fn SectionPage(section: Section) -> impl IntoView {
    view! {
        <Title text=section.title() />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current=section.title() />
        <h1>{section.title()}</h1>
        <p class="lead">{section.purpose()}</p>
        <div class="inset-text">
            <p>"This section is not open yet. It will appear here as soon as it is ready."</p>
        </div>
    }
}
