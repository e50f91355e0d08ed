//! The forums' forms: starting a topic, replying, editing and removing one's own post, and the
//! moderators' and administrators' forms (reports, topics, held posts, forum settings). Each
//! text form can ask for a preview (`intent=preview`) instead of posting.

use crate::forms::typed_form;

typed_form! {
    /// Start a topic in a forum.
    StartTopic { id: "new-topic", action: "/forums/{forum}/new", first: "title" } {
        /// `preview` to see the post rendered without posting.
        intent: String,
        /// Title.
        title: String,
        /// Tags, separated by commas.
        tags: String,
        /// The first post, in Markdown.
        body: String,
    }
}

typed_form! {
    /// Reply in a topic.
    Reply { id: "reply", action: "/forums/{forum}/{topic}/reply", first: "body" } {
        /// `preview` to see the post rendered without posting.
        intent: String,
        /// Markdown.
        body: String,
        /// The post quoted, if any.
        quote_of: String,
    }
}

typed_form! {
    /// Edit one's own post.
    EditPost { id: "edit-post", action: "/forums/posts/{post}/edit", first: "body" } {
        /// `preview` to see the post rendered without saving.
        intent: String,
        /// Markdown.
        body: String,
    }
}

typed_form! {
    /// Remove one's own post.
    DeletePost { id: "delete-post", action: "/forums/posts/{post}/delete", first: "confirm" } {
        /// The confirmation checkbox.
        #[serde(deserialize_with = "crate::forms::ticked")]
        confirm: bool,
    }
}

typed_form! {
    /// Report a post to the forum's moderators.
    ReportPost { id: "report", action: "/forums/posts/{post}/report", first: "reason" } {
        /// What is wrong with it.
        reason: String,
    }
}

typed_form! {
    /// Hide a post (`hidden=yes`) or restore it (`hidden=no`); moderators only.
    HidePost { id: "hide-post", action: "/forums/posts/{post}/hide", first: "hidden" } {
        /// `yes` to hide, `no` to restore.
        hidden: String,
        /// `queue` to return to the moderation queue rather than the post.
        back: String,
    }
}

typed_form! {
    /// Close a report without acting on the post; moderators only.
    DismissReport { id: "dismiss-report", action: "/forums/moderation/reports/{report}/dismiss", first: "report" } {}
}

typed_form! {
    /// Lock, unlock, pin or unpin a topic; moderators only.
    ChangeTopic { id: "change-topic", action: "/forums/{forum}/{topic}/moderate", first: "change" } {
        /// `lock`, `unlock`, `pin` or `unpin`.
        change: String,
    }
}

typed_form! {
    /// Move a topic to another forum; moderators of both only.
    MoveTopic { id: "move-topic", action: "/forums/{forum}/{topic}/move", first: "forum" } {
        /// The destination forum's slug.
        forum: String,
    }
}

typed_form! {
    /// Create a forum; administrators only.
    CreateForum { id: "create-forum", action: "/admin/forums", first: "slug" } {
        /// URL slug.
        slug: String,
        /// Name.
        name: String,
        /// Description.
        description: String,
        /// Order in the list.
        position: String,
        /// Groups that may read (none: every approved member).
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        readers: Vec<String>,
        /// Groups that may post (none: every reader).
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        posters: Vec<String>,
    }
}

typed_form! {
    /// Change a forum's settings; administrators only.
    UpdateForum { id: "forum-settings", action: "/admin/forums/{forum}", first: "name" } {
        /// Name.
        name: String,
        /// Description.
        description: String,
        /// Order in the list.
        position: String,
        /// Groups that may read (none: every approved member).
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        readers: Vec<String>,
        /// Groups that may post (none: every reader).
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        posters: Vec<String>,
    }
}

typed_form! {
    /// Archive a forum (`archived=yes`) or bring it back (`archived=no`); administrators only.
    ArchiveForum { id: "archive-forum", action: "/admin/forums/{forum}/archive", first: "archived" } {
        /// `yes` or `no`.
        archived: String,
    }
}

typed_form! {
    /// Start (`watching=yes`) or stop (`watching=no`) watching a topic.
    WatchTopic { id: "watch-topic", action: "/forums/{forum}/{topic}/watch", first: "watching" } {
        /// `yes` or `no`.
        watching: String,
    }
}

typed_form! {
    /// Start (`watching=yes`) or stop (`watching=no`) watching a forum.
    WatchForum { id: "watch-forum", action: "/forums/{forum}/watch", first: "watching" } {
        /// `yes` or `no`.
        watching: String,
    }
}

typed_form! {
    /// Mark every notification as read.
    MarkNotificationsRead { id: "notifications-read", action: "/notifications/read", first: "mark" } {}
}

typed_form! {
    /// Turn forum feeds on (`on`), replace their addresses (`renew`) or turn them off (`off`).
    FeedSettings { id: "feeds", action: "/account/feeds", first: "change" } {
        /// `on`, `renew` or `off`.
        change: String,
    }
}

typed_form! {
    /// Merge a topic into another; moderators of both only.
    MergeTopic { id: "merge-topic", action: "/forums/{forum}/{topic}/merge", first: "into" } {
        /// The other topic's number or address.
        into: String,
        /// The confirmation checkbox.
        #[serde(deserialize_with = "crate::forms::ticked")]
        confirm: bool,
    }
}

typed_form! {
    /// Split a topic from a post onward into a new topic; moderators only.
    SplitTopic { id: "split-topic", action: "/forums/posts/{post}/split", first: "title" } {
        /// The new topic's title.
        title: String,
        /// The forum for the new topic.
        forum: String,
    }
}

typed_form! {
    /// Approve (`decision=approve`) or reject (`decision=reject`) a post held for approval;
    /// moderators only.
    DecideHeldPost { id: "held-post", action: "/forums/moderation/held/{held}", first: "decision" } {
        /// `approve` or `reject`.
        decision: String,
    }
}

typed_form! {
    /// How many of a new member's first posts wait for approval; administrators only.
    HoldFirstPosts { id: "hold-first-posts", action: "/admin/forums/approval", first: "count" } {
        /// A whole number; 0 holds nothing.
        count: String,
    }
}
