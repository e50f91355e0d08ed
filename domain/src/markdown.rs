//! The one Markdown pipeline: pulldown-cmark → HTML → ammonia allow-list.
//!
//! Author content (pages, modules, library) and member content (posts, reflections) go through
//! the same code with different allow-lists. Headings get stable ids and are returned so pages
//! can show an on-page table of contents; GitHub-style alerts (`> [!NOTE]`) become labelled
//! callouts.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};
use serde::{Deserialize, Serialize};

/// Who wrote the Markdown, which decides what survives sanitising.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Editors and clinicians writing modules, pages and guidance.
    Author,
    /// Members writing posts and reflections: ids are prefixed so they cannot clash with the
    /// page's own, and links are marked `nofollow ugc`.
    Member,
}

/// A heading found in the document, for tables of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// 2 for `##`, 3 for `###` (only these appear in a table of contents).
    pub level: u8,
    /// The anchor id given to the heading in the HTML.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// Sanitised HTML and the document's outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// HTML safe to insert into a page.
    pub html: String,
    /// The `##` and `###` headings, in order.
    pub headings: Vec<Heading>,
}

const CALLOUT_KINDS: [(BlockQuoteKind, &str, &str); 5] = [
    (BlockQuoteKind::Note, "callout-note", "Note"),
    (BlockQuoteKind::Tip, "callout-tip", "Tip"),
    (BlockQuoteKind::Important, "callout-important", "Important"),
    (BlockQuoteKind::Warning, "callout-warning", "Warning"),
    (BlockQuoteKind::Caution, "callout-caution", "Caution"),
];

/// Renders Markdown to sanitised HTML with heading anchors and accessible callouts.
pub fn render(source: &str, audience: Audience) -> Rendered {
    render_with_links(source, audience, &|_| None)
}

/// The Markdown extensions the pipeline understands. Anything else that parses the same
/// Markdown (such as the module loader's link checks) uses these too, so it sees the same
/// links at the same places.
pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// [`render`], with each link and image destination passed to `resolve`, which may replace
/// it (a lesson's `02-next.md` becomes its page's URL; `diagram.png` its stored image's).
/// `None` keeps the destination as written. Email autolinks (`<name@example.org>`) are not
/// destinations and are never passed.
pub fn render_with_links(
    source: &str,
    audience: Audience,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Rendered {
    let options = parser_options();
    let id_prefix = match audience {
        Audience::Author => "",
        Audience::Member => "user-content-",
    };
    let events: Vec<Event<'_>> = Parser::new_ext(source, options).collect();
    let mut headings = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut output = Vec::with_capacity(events.len());
    let mut index = 0;
    while index < events.len() {
        match &events[index] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let text = heading_text(&events[index + 1..]);
                let base = id
                    .as_ref()
                    .map(|explicit| explicit.to_string())
                    .unwrap_or_else(|| slugify(&text));
                let anchor = unique_id(&format!("{id_prefix}{base}"), &mut used_ids);
                let level_number = *level as u8;
                if (2..=3).contains(&level_number) {
                    headings.push(Heading {
                        level: level_number,
                        id: anchor.clone(),
                        text,
                    });
                }
                output.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(anchor)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout_names(*kind);
                output.push(Event::Html(CowStr::from(format!(
                    "<div class=\"callout {class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                output.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => output.push(Event::Start(Tag::Link {
                link_type: *link_type,
                dest_url: match link_type {
                    LinkType::Email => dest_url.clone(),
                    _ => resolve(dest_url).map_or_else(|| dest_url.clone(), CowStr::from),
                },
                title: title.clone(),
                id: id.clone(),
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => output.push(Event::Start(Tag::Image {
                link_type: *link_type,
                dest_url: resolve(dest_url).map_or_else(|| dest_url.clone(), CowStr::from),
                title: title.clone(),
                id: id.clone(),
            })),
            other => output.push(other.clone()),
        }
        index += 1;
    }
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, output.into_iter());
    Rendered {
        html: sanitizer(audience).clean(&unsafe_html).to_string(),
        headings,
    }
}

/// Turns heading text into a lowercase, hyphenated anchor (`"Key points"` → `key-points`).
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.extend(ch.to_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(part) | Event::Code(part) => text.push_str(part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

fn unique_id(base: &str, used: &mut HashMap<String, usize>) -> String {
    let count = used.entry(base.to_owned()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base.to_owned()
    } else {
        format!("{base}-{}", *count - 1)
    }
}

fn callout_names(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    CALLOUT_KINDS
        .iter()
        .find(|(candidate, _, _)| *candidate == kind)
        .map(|(_, class, title)| (*class, *title))
        .unwrap_or(("callout-note", "Note"))
}

fn sanitizer(audience: Audience) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    let callout_classes: HashSet<&str> = ["callout"]
        .into_iter()
        .chain(CALLOUT_KINDS.iter().map(|(_, class, _)| *class))
        .collect();
    builder
        .add_tag_attributes("div", ["role"])
        .add_allowed_classes("div", callout_classes)
        .add_allowed_classes("p", ["callout-title"]);
    for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        builder.add_tag_attributes(heading, ["id"]);
    }
    match audience {
        Audience::Author => {
            builder.link_rel(Some("noopener noreferrer"));
        }
        Audience::Member => {
            builder.link_rel(Some("noopener noreferrer nofollow ugc"));
        }
    }
    builder
}

/// The words of a Markdown document without its markup, for the search index: text and code
/// kept, each block ended with a line break, links and images reduced to their text.
pub fn plain_text(source: &str) -> String {
    let mut text = String::with_capacity(source.len());
    for event in Parser::new_ext(source, parser_options()) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock,
            ) => text.push('\n'),
            _ => {}
        }
    }
    text.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_stable_readable_anchors() {
        assert_eq!(slugify("Key points"), "key-points");
        assert_eq!(
            slugify("  The Equality Act 2010: duties!  "),
            "the-equality-act-2010-duties"
        );
        assert_eq!(slugify("???"), "section");
    }

    #[test]
    fn repeated_headings_get_distinct_ids() {
        let rendered = render("## Summary\n\ntext\n\n## Summary\n", Audience::Author);
        let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["summary", "summary-1"]);
        assert!(rendered.html.contains(r#"<h2 id="summary-1">"#));
    }

    #[test]
    fn scripts_and_event_handlers_are_removed() {
        let rendered = render(
            "Hello <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))",
            Audience::Member,
        );
        assert!(!rendered.html.contains("<script"));
        assert!(!rendered.html.contains("onerror"));
        assert!(!rendered.html.contains("javascript:"));
    }

    #[test]
    fn member_ids_cannot_clash_with_page_ids() {
        let rendered = render(
            "## Main content\n\n[HSE](https://www.hse.gov.uk/)",
            Audience::Member,
        );
        assert_eq!(rendered.headings[0].id, "user-content-main-content");
        assert!(rendered.html.contains("nofollow ugc"));
    }

    #[test]
    fn links_and_images_can_be_rewritten_but_email_autolinks_are_not() {
        let resolve = |destination: &str| {
            (!destination.starts_with("https:")).then(|| format!("/resolved/{destination}"))
        };
        let rendered = render_with_links(
            "[next](02-next.md#part) ![chart](chart.png) [gov](https://www.gov.uk/) <oh@example.org>",
            Audience::Author,
            &resolve,
        );
        assert!(
            rendered
                .html
                .contains(r#"href="/resolved/02-next.md#part""#)
        );
        assert!(rendered.html.contains(r#"src="/resolved/chart.png""#));
        assert!(rendered.html.contains(r#"href="https://www.gov.uk/""#));
        assert!(rendered.html.contains(r#"href="mailto:oh@example.org""#));
    }

    #[test]
    fn author_document_renders_as_expected() {
        let source = "\
Intro with a [link](https://www.legislation.gov.uk/) and *emphasis*.

## Fitness standards

> [!WARNING]
> Never share a diagnosis without explicit consent.

| Role | Standard |
|------|----------|
| Driver | DVLA group 2 |

### Night work {#night}

- one
- two
";
        insta::assert_snapshot!(render(source, Audience::Author).html);
    }

    #[test]
    fn member_document_renders_as_expected() {
        let source = "\
Thanks -- this helped. See <https://www.hse.gov.uk/> and

> [!NOTE]
> A note from a member.

<iframe src=\"https://example.com\"></iframe>
";
        insta::assert_snapshot!(render(source, Audience::Member).html);
    }

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        let text = plain_text(
            "## Night work {#night}\n\n> [!NOTE]\n> Offer an *assessment*.\n\n- [Link text](/x) and `code`\n",
        );
        assert_eq!(text, "Night work\nOffer an assessment.\nLink text and code");
    }
}
