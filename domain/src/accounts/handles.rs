//! Handles: the short, unique name a member is mentioned by in the forums (`@jane.smith`),
//! made from their name when the account is created and kept when the name changes, so a
//! mention written last year still means the same person. A closed account loses its handle.

use std::collections::HashSet;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use super::entities::user;
use crate::Result;

/// Longest handle made from a name, in characters (before any number that makes it unique).
pub const HANDLE_CHARS: usize = 30;

/// The handle `name` suggests: ASCII letters and digits, lower case, words joined by dots
/// ("Siân O'Neill-Jones" → "sin.o.neill.jones"); "member" when nothing is left.
pub fn handle_base(name: &str) -> String {
    let mut handle = String::new();
    for character in name.chars() {
        if character.is_ascii_alphanumeric() {
            handle.push(character.to_ascii_lowercase());
        } else if !handle.is_empty() && !handle.ends_with('.') && !character.is_alphanumeric() {
            handle.push('.');
        }
    }
    let handle: String = handle.chars().take(HANDLE_CHARS).collect();
    let handle = handle.trim_matches('.');
    if handle.is_empty() {
        "member".to_owned()
    } else {
        handle.to_owned()
    }
}

/// A handle for `name` that no other account has: its base, or the base with the smallest
/// number from 2 that is free.
pub(crate) async fn unique_handle(conn: &impl ConnectionTrait, name: &str) -> Result<String> {
    let base = handle_base(name);
    let taken: HashSet<String> = user::Entity::find()
        .select_only()
        .column(user::Column::Handle)
        .filter(user::Column::Handle.starts_with(&base))
        .into_tuple::<Option<String>>()
        .all(conn)
        .await?
        .into_iter()
        .flatten()
        .collect();
    if !taken.contains(&base) {
        return Ok(base);
    }
    Ok((2_u32..)
        .map(|number| format!("{base}{number}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(base))
}

/// Gives a handle to every open account without one (accounts made before handles existed).
/// Run at start-up after the migrations; does nothing once every account has one.
pub async fn give_missing_handles(conn: &impl ConnectionTrait) -> Result<usize> {
    let missing = user::Entity::find()
        .filter(user::Column::Handle.is_null())
        .filter(user::Column::ClosedAt.is_null())
        .all(conn)
        .await?;
    let count = missing.len();
    for account in missing {
        let handle = unique_handle(conn, &account.name).await?;
        user::Entity::update(user::ActiveModel {
            id: Set(account.id),
            handle: Set(Some(handle)),
            ..Default::default()
        })
        .exec(conn)
        .await?;
    }
    Ok(count)
}

/// The handles `@`-mentioned in Markdown `text`, lower case, each once, in order. Mentions in
/// code, links' addresses and email addresses (`a@b.org`) are not mentions.
pub fn mentioned_handles(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut in_code_block = false;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(text) if !in_code_block => {
                for handle in handles_in(&text) {
                    if !found.contains(&handle) {
                        found.push(handle);
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// The `@handle`s in plain text.
fn handles_in(text: &str) -> Vec<String> {
    let mut handles = Vec::new();
    let mut previous: Option<char> = None;
    for (index, character) in text.char_indices() {
        let starts = character == '@' && !previous.is_some_and(char::is_alphanumeric);
        previous = Some(character);
        if !starts {
            continue;
        }
        let rest = &text[index + 1..];
        let length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .unwrap_or(rest.len());
        let handle = rest[..length].trim_end_matches('.').to_ascii_lowercase();
        if !handle.is_empty() && !handle.starts_with('.') {
            handles.push(handle);
        }
    }
    handles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_dotted_lower_case_handles() {
        assert_eq!(handle_base("Jane Smith"), "jane.smith");
        assert_eq!(handle_base("Siân O'Neill-Jones"), "sin.o.neill.jones");
        assert_eq!(handle_base("  Dr. A.  Khan "), "dr.a.khan");
        assert_eq!(handle_base("李华"), "member");
        assert!(handle_base(&"x".repeat(50)).chars().count() <= HANDLE_CHARS);
    }

    #[test]
    fn mentions_are_found_outside_code_and_email_addresses() {
        assert_eq!(
            mentioned_handles(
                "Thanks @Jane.Smith and @sam.physio. Ask @jane.smith again, \
                 mail jo@force.police.uk, `@not.code`\n\n```\n@nor.this\n```\n(@ali)"
            ),
            ["jane.smith", "sam.physio", "ali"]
        );
        assert!(mentioned_handles("an @ alone, @. and @").is_empty());
    }
}
