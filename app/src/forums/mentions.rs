//! The post text area as an island. Without JavaScript it is a plain `<textarea>` (members type
//! `@handle` themselves, each post shows its author's handle, and the form's Preview button
//! shows the post rendered). With JavaScript, typing `@` and the start of a handle lists the
//! members who may read the forum as buttons, announced to screen readers, and choosing one
//! inserts the mention; and a live preview follows the text as it is typed.

use std::time::Duration;

use leptos::html::Textarea;
use leptos::prelude::*;

use super::api;
use super::dto::MentionSuggestion;

/// The mention being typed just before `caret` (a byte offset) in `text`: the byte offset of
/// its `@` and what follows it so far, lower case.
pub fn mention_at(text: &str, caret: usize) -> Option<(usize, String)> {
    let before = text.get(..caret)?;
    let at = before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))?;
    if !before[at..].starts_with('@') {
        return None;
    }
    let starts_word = before[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let typed = &before[at + 1..];
    (starts_word && !typed.is_empty()).then(|| (at, typed.to_ascii_lowercase()))
}

/// The byte offset of UTF-16 position `units` in `text` (the browser counts a caret in UTF-16
/// code units).
pub fn byte_offset(text: &str, units: usize) -> usize {
    let mut counted = 0;
    for (index, character) in text.char_indices() {
        if counted >= units {
            return index;
        }
        counted += character.len_utf16();
    }
    text.len()
}

/// How long typing must pause before the live preview follows it.
const PREVIEW_AFTER_MILLISECONDS: u64 = 400;

/// The page's CSRF token, from the hidden field every form on it carries.
fn csrf_token() -> String {
    document()
        .query_selector("input[name=csrf_token]")
        .ok()
        .flatten()
        .and_then(|field| field.get_attribute("value"))
        .unwrap_or_default()
}

/// The post's text area (`name="body"`, `id="field-body"`), suggesting mentions in `forum`
/// (none when `forum` is empty).
#[island]
pub fn PostTextarea(
    /// The text it starts with.
    text: String,
    /// Ids of the hint and error that describe it.
    described_by: String,
    /// True when the field has an error.
    invalid: bool,
    /// The forum's slug, whose readers may be mentioned.
    forum: String,
) -> impl IntoView {
    // Every read below is a `try_get`: server rendering walks this island inside a page's
    // Suspense, which can dispose of a first rendering's signals while a second one reads them
    // (leptos-rs/leptos#3595); a disposed value reads as nothing instead of panicking.
    let area = NodeRef::<Textarea>::new();
    // Effects run only in the browser, so this marks the text area once the island is live.
    let (enhanced, set_enhanced) = signal(false);
    Effect::new(move |_| set_enhanced.set(true));
    let (typing, set_typing) = signal(None::<(usize, String)>);
    // The text the live preview shows, set a moment after typing pauses.
    let (settled, set_settled) = signal(String::new());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let preview = LocalResource::new(move || {
        let text = settled.try_get().unwrap_or_default();
        async move {
            if text.trim().is_empty() {
                None
            } else {
                api::preview_post(csrf_token(), text).await.ok()
            }
        }
    });
    // The resources are read only once the island is live in the browser: read while the
    // server renders, they would make the page's Suspense wait on requests that never run.
    let live = move || enhanced.try_get().unwrap_or(false);
    let preview_html = move || {
        if live() {
            preview.try_get().flatten().flatten()
        } else {
            None
        }
    };
    let suggestions = LocalResource::new(move || {
        let typing = typing.try_get().flatten();
        let forum = forum.clone();
        async move {
            match typing {
                Some((_, prefix)) if !forum.is_empty() => api::mention_suggestions(forum, prefix)
                    .await
                    .unwrap_or_default(),
                _ => Vec::new(),
            }
        }
    });
    let hits = move || {
        if live() {
            suggestions.try_get().flatten().unwrap_or_default()
        } else {
            Vec::new()
        }
    };
    let on_input = move |_| {
        if let Some(element) = area.get() {
            let value = element.value();
            let caret = element
                .selection_start()
                .ok()
                .flatten()
                .map(|units| byte_offset(&value, units as usize));
            set_typing.set(caret.and_then(|caret| mention_at(&value, caret)));
            if let Some(previous) = pending.get_value() {
                previous.clear();
            }
            let handle = set_timeout_with_handle(
                move || set_settled.set(value),
                Duration::from_millis(PREVIEW_AFTER_MILLISECONDS),
            );
            pending.set_value(handle.ok());
        }
    };
    let insert = move |handle: &str| {
        let (Some(element), Some((at, typed))) = (area.get(), typing.get_untracked()) else {
            return;
        };
        let value = element.value();
        let Some(after) = value.get(at + 1 + typed.len()..) else {
            return;
        };
        let inserted = format!("{}@{handle} ", &value[..at]);
        let caret = inserted.encode_utf16().count() as u32;
        let text = format!("{inserted}{after}");
        element.set_value(&text);
        set_settled.set(text);
        // Focus and caret placement are conveniences: the text is already right.
        let _focused = element.focus();
        let _placed = element.set_selection_range(caret, caret);
        set_typing.set(None);
    };
    let status = move || match hits().len() {
        0 => String::new(),
        1 => "1 member to mention, listed below".to_owned(),
        n => format!("{n} members to mention, listed below"),
    };
    view! {
        <textarea
            class="textarea"
            id="field-body"
            name="body"
            rows="10"
            aria-describedby=described_by
            aria-invalid=invalid.then_some("true")
            data-enhanced=move || enhanced.try_get().unwrap_or(false).then_some("true")
            node_ref=area
            on:input=on_input
        >
            {text}
        </textarea>
        <p class="visually-hidden" aria-live="polite">{status}</p>
        <Show when=move || !hits().is_empty()>
            <ul class="mention-suggestions" aria-label="Members to mention">
                <For each=hits key=|hit: &MentionSuggestion| hit.handle.clone() let:hit>
                    <li>
                        <button
                            type="button"
                            class="link-button"
                            on:click={
                                let handle = hit.handle.clone();
                                move |_| insert(&handle)
                            }
                        >
                            {format!("Mention {} (@{})", hit.name, hit.handle)}
                        </button>
                    </li>
                </For>
            </ul>
        </Show>
        <Show when=move || preview_html().is_some()>
            <section class="preview preview--live" aria-labelledby="live-preview-heading">
                <h2 id="live-preview-heading">"Live preview"</h2>
                <div class="prose" inner_html=move || preview_html().unwrap_or_default()></div>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mention_being_typed_is_found_before_the_caret() {
        let text = "Thanks @Jan";
        assert_eq!(mention_at(text, text.len()), Some((7, "jan".to_owned())));
        assert_eq!(mention_at("mail jo@force", 13), None, "an email address");
        assert_eq!(mention_at("just @", 6), None, "nothing typed yet");
        assert_eq!(mention_at("@a.b and more", 4), Some((0, "a.b".to_owned())));
        assert_eq!(mention_at("no mention", 10), None);
    }

    #[test]
    fn a_utf16_caret_becomes_a_byte_offset() {
        assert_eq!(byte_offset("abc", 2), 2);
        assert_eq!(byte_offset("é@x", 3), 4);
        assert_eq!(byte_offset("😀@x", 3), 5);
        assert_eq!(byte_offset("ab", 9), 2);
    }
}
