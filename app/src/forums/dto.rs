//! What the forum pages show: plain serde structs, never domain entities.

use serde::{Deserialize, Serialize};

/// A forum in the list of forums.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumItem {
    /// URL slug.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Topics.
    pub topics: i32,
    /// Posts.
    pub posts: i32,
    /// Latest activity, UK time ("No posts yet" when none).
    pub latest: String,
    /// Holds posts the member has not read.
    pub unread: bool,
    /// Readable by chosen groups only.
    pub private: bool,
}

/// A topic in a forum's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicItem {
    /// Topic id.
    pub id: i32,
    /// Title.
    pub title: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Who started it.
    pub author: String,
    /// Replies (posts after the first).
    pub replies: i32,
    /// Latest activity, UK time.
    pub latest: String,
    /// Pinned.
    pub pinned: bool,
    /// Closed to replies.
    pub locked: bool,
    /// Has posts the member has not read.
    pub unread: bool,
}

/// A forum's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumView {
    /// The forum.
    pub forum: ForumItem,
    /// This page's topics.
    pub topics: Vec<TopicItem>,
    /// Cursor for the next page.
    pub next: Option<String>,
    /// The member may start a topic.
    pub can_post: bool,
    /// The member watches this forum.
    pub watching: bool,
}

/// One post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostItem {
    /// Post id.
    pub id: i32,
    /// Number in the topic.
    pub number: i32,
    /// Author's name.
    pub author: String,
    /// Author's handle, to mention them by (none for former members and the site).
    pub author_handle: Option<String>,
    /// Sanitised HTML (empty when removed).
    pub html: String,
    /// Why the text is not shown, if it is not.
    pub removed: Option<String>,
    /// When written, UK time.
    pub written: String,
    /// Machine-readable time of writing.
    pub written_iso: String,
    /// Edited since.
    pub edited: bool,
    /// The reader wrote it.
    pub own: bool,
    /// Hidden by a moderator (only moderators see its text).
    pub hidden: bool,
}

/// A topic page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicView {
    /// Topic id.
    pub id: i32,
    /// Title.
    pub title: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Forum slug.
    pub forum_slug: String,
    /// Forum name.
    pub forum_name: String,
    /// Closed to replies.
    pub locked: bool,
    /// This page's posts.
    pub posts: Vec<PostItem>,
    /// Page number.
    pub page: u64,
    /// Pages.
    pub pages: u64,
    /// Permalink of the first unread post.
    pub first_unread: Option<String>,
    /// The member may reply.
    pub can_reply: bool,
    /// Reply text prefilled with a quote (`?quote=<post>`), and the quoted post's id.
    pub quote: Option<(String, i32)>,
    /// Pinned.
    pub pinned: bool,
    /// For a moderator of this forum: the forums a topic may be moved to (slug, name);
    /// `None` for everyone else.
    pub moderation: Option<Vec<(String, String)>>,
    /// The member watches this topic.
    pub watching: bool,
}

/// A notification in the member's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationItem {
    /// Who wrote the post.
    pub author: String,
    /// What they did ("replied", "quoted you", "started a topic").
    pub verb: String,
    /// The topic's title.
    pub topic: String,
    /// The forum's name.
    pub forum: String,
    /// The post's permalink.
    pub permalink: String,
    /// When, UK time.
    pub when: String,
    /// Not yet seen.
    pub unread: bool,
}

/// An open report in the moderation queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    /// Report id.
    pub id: i32,
    /// The post's permalink.
    pub permalink: String,
    /// The post id.
    pub post_id: i32,
    /// Topic title.
    pub topic: String,
    /// Forum name.
    pub forum: String,
    /// The post's text as written.
    pub text: String,
    /// Already hidden.
    pub hidden: bool,
    /// The reporter's reason.
    pub reason: String,
    /// When reported, UK time.
    pub reported: String,
}

/// A post being edited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostDraftView {
    /// Post id.
    pub id: i32,
    /// Its Markdown.
    pub body: String,
    /// Where it is (its permalink).
    pub permalink: String,
}

/// A forum's settings, for administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumSettingsView {
    /// Slug.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Order.
    pub position: i32,
    /// Groups that may read (empty: every approved member).
    pub readers: Vec<String>,
    /// Groups that may post (empty: every reader).
    pub posters: Vec<String>,
    /// Archived.
    pub archived: bool,
}

/// An edited post's history, for moderators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHistoryView {
    /// The post's permalink.
    pub permalink: String,
    /// Its number in the topic.
    pub number: i32,
    /// Its topic's title.
    pub topic: String,
    /// Who wrote it.
    pub author: String,
    /// When it was written, UK time.
    pub written: String,
    /// Its text now, in Markdown.
    pub current: String,
    /// Earlier texts, newest first: (replaced when, by whom, the text).
    pub earlier: Vec<(String, String, String)>,
}

/// A member who could be mentioned, suggested while typing `@…`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionSuggestion {
    /// Their handle, without the `@`.
    pub handle: String,
    /// Their name.
    pub name: String,
}

/// A post waiting for a moderator's approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldItem {
    /// Its id in the queue.
    pub id: i32,
    /// Forum name.
    pub forum: String,
    /// What it is: "New topic: <title>" or "Reply to <title>".
    pub what: String,
    /// The topic replied to (its address), for a reply.
    pub topic_href: Option<String>,
    /// Who wrote it.
    pub author: String,
    /// Its text as written (Markdown).
    pub text: String,
    /// When written, UK time.
    pub written: String,
}

/// The moderators' queue: open reports and posts waiting for approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationQueueView {
    /// Open reports, oldest first.
    pub reports: Vec<ReportItem>,
    /// Held posts, oldest first.
    pub held: Vec<HeldItem>,
}

/// What splitting a topic at a post would do, for its moderators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitPlanView {
    /// The topic's address.
    pub topic_href: String,
    /// Its title.
    pub topic_title: String,
    /// Its forum's slug (the new topic's forum unless another is chosen).
    pub forum: String,
    /// The first post that moves.
    pub from_number: i32,
    /// How many posts move.
    pub moving: i32,
    /// Forums the new topic may go in (slug, name).
    pub forums: Vec<(String, String)>,
}
