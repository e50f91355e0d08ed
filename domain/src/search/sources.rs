//! What goes into the search index, read from the database: the entries that replace one change
//! log subject, and every entry for a full build. Each entry carries its audience, so that the
//! index can filter by who is asking.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::ResultKind;
use crate::Result;
use crate::access::{self, Audience};
use crate::forums::entities::{forum, post, topic};
use crate::learning::entities::{lesson, module};
use crate::library::entities::{attachment, document};
use crate::markdown::plain_text;
use crate::pages::entity as page;

/// Posts read at once during a full build.
const POST_BATCH: u64 = 2_000;

/// One searchable item.
#[derive(Clone, Debug)]
pub(crate) struct IndexEntry {
    pub key: String,
    pub subject: String,
    pub kind: ResultKind,
    pub audience: Vec<String>,
    pub title: String,
    /// False for forum replies: their topic's title is shown but matched only on the topic's
    /// first post, so a topic does not crowd the results once per reply.
    pub title_indexed: bool,
    pub tags: Vec<String>,
    pub body: String,
    pub summary: String,
    pub url: String,
    pub location: String,
    pub updated: DateTime<Utc>,
}

/// The audience tokens of an item: `public`, `members` or `group:<slug>` for each group.
pub(crate) fn audience_tokens(audience: &Audience) -> Vec<String> {
    match audience {
        Audience::Public => vec!["public".to_owned()],
        Audience::Members => vec!["members".to_owned()],
        Audience::Groups(groups) => groups
            .iter()
            .map(|group| format!("group:{group}"))
            .collect(),
    }
}

/// The entries that replace change log `subject`, each list with the subject whose entries it
/// replaces (a forum's change replaces each of its topics). Subjects the index does not follow
/// give nothing.
pub(crate) async fn entries_for(
    db: &DatabaseConnection,
    subject: &str,
) -> Result<Vec<(String, Vec<IndexEntry>)>> {
    let Some((kind, id)) = subject.split_once(':') else {
        return Ok(Vec::new());
    };
    let Ok(id) = id.parse::<i32>() else {
        return Ok(Vec::new());
    };
    Ok(match kind {
        "page" => vec![(subject.to_owned(), page_entries(db, Some(id)).await?)],
        "module" => vec![(subject.to_owned(), module_entries(db, Some(id)).await?)],
        "document" | "library" => vec![(
            format!("document:{id}"),
            document_entries(db, Some(id)).await?,
        )],
        "topic" => vec![(subject.to_owned(), topic_entries(db, id).await?)],
        "forum" => {
            let topics: Vec<i32> = topic::Entity::find()
                .select_only()
                .column(topic::Column::Id)
                .filter(topic::Column::ForumId.eq(id))
                .into_tuple()
                .all(db)
                .await?;
            let mut replaced = Vec::with_capacity(topics.len());
            for topic_id in topics {
                replaced.push((topic_subject(topic_id), topic_entries(db, topic_id).await?));
            }
            replaced
        }
        _ => Vec::new(),
    })
}

/// How many entries a full build makes.
pub(crate) async fn count_all(db: &DatabaseConnection) -> Result<u64> {
    Ok(document::Entity::find().count(db).await?
        + page::Entity::find().count(db).await?
        + module::Entity::find().count(db).await?
        + lesson::Entity::find().count(db).await?
        + visible_posts().count(db).await?)
}

/// Every entry, handed to `sink` a batch at a time.
pub(crate) async fn each_entry(
    db: &DatabaseConnection,
    sink: &mut (dyn FnMut(Vec<IndexEntry>) -> Result<()> + Send),
) -> Result<()> {
    sink(document_entries(db, None).await?)?;
    sink(page_entries(db, None).await?)?;
    sink(module_entries(db, None).await?)?;
    let forums = ForumAudiences::load(db).await?;
    let topics: HashMap<i32, topic::Model> = topic::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    let mut after = 0;
    loop {
        let posts = visible_posts()
            .filter(post::Column::Id.gt(after))
            .order_by_asc(post::Column::Id)
            .limit(POST_BATCH)
            .all(db)
            .await?;
        let Some(last) = posts.last() else {
            break;
        };
        after = last.id;
        let entries = posts
            .into_iter()
            .filter_map(|post| {
                let topic = topics.get(&post.topic_id)?;
                let (forum, audience) = forums.of(topic.forum_id)?;
                Some(post_entry(post, topic, forum, audience))
            })
            .collect();
        sink(entries)?;
    }
    Ok(())
}

async fn document_entries(db: &DatabaseConnection, id: Option<i32>) -> Result<Vec<IndexEntry>> {
    let mut find = document::Entity::find()
        .filter(document::Column::Status.eq(crate::library::DocumentStatus::Published.as_str()));
    if let Some(id) = id {
        find = find.filter(document::Column::Id.eq(id));
    }
    let documents = find.all(db).await?;
    if documents.is_empty() {
        return Ok(Vec::new());
    }
    let mut groups = access::stored_groups_by_item(db, crate::library::ITEM_KIND).await?;
    let mut attachment_texts = attachment_texts(db, id).await?;
    let mut entries = Vec::with_capacity(documents.len());
    for document in documents {
        let mut body = plain_text(&document.body_markdown);
        for (file_name, text) in attachment_texts.remove(&document.id).unwrap_or_default() {
            body.push_str("\n\n");
            body.push_str(&file_name);
            body.push('\n');
            body.push_str(&text);
        }
        let audience = crate::access::Audience::from_stored(
            &document.audience,
            groups.remove(&document.id).unwrap_or_default(),
        )?;
        let kind = crate::library::DocumentKind::parse(&document.kind)
            .map_or("Library", |kind| kind.plural());
        let tags: Vec<String> = serde_json::from_str(&document.tags).unwrap_or_default();
        entries.push(IndexEntry {
            key: format!("document:{}", document.id),
            subject: format!("document:{}", document.id),
            kind: ResultKind::Document,
            audience: audience_tokens(&audience),
            title_indexed: true,
            tags: tags.iter().map(|tag| tag.replace('-', " ")).collect(),
            body,
            url: format!("/library/{}", document.slug),
            location: format!("Library › {kind}"),
            updated: document.updated_at,
            title: document.title,
            summary: document.summary,
        });
    }
    Ok(entries)
}

/// The words of the attachments of document `id` (of every document when `None`) that have
/// them, by document, in file name order.
async fn attachment_texts(
    db: &DatabaseConnection,
    id: Option<i32>,
) -> Result<HashMap<i32, Vec<(String, String)>>> {
    let mut find = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::DocumentId)
        .column(attachment::Column::FileName)
        .column(attachment::Column::Text)
        .filter(attachment::Column::Text.is_not_null());
    if let Some(id) = id {
        find = find.filter(attachment::Column::DocumentId.eq(id));
    }
    let rows: Vec<(i32, String, String)> = find
        .order_by_asc(attachment::Column::DocumentId)
        .order_by_asc(attachment::Column::FileName)
        .into_tuple()
        .all(db)
        .await?;
    let mut texts: HashMap<i32, Vec<(String, String)>> = HashMap::new();
    for (document_id, file_name, text) in rows {
        texts
            .entry(document_id)
            .or_default()
            .push((file_name, text));
    }
    Ok(texts)
}

async fn page_entries(db: &DatabaseConnection, id: Option<i32>) -> Result<Vec<IndexEntry>> {
    let mut find = page::Entity::find();
    if let Some(id) = id {
        find = find.filter(page::Column::Id.eq(id));
    }
    let pages = find.all(db).await?;
    if pages.is_empty() {
        return Ok(Vec::new());
    }
    let mut groups = access::stored_groups_by_item(db, crate::pages::ITEM_KIND).await?;
    let mut entries = Vec::with_capacity(pages.len());
    for page in pages {
        let audience =
            Audience::from_stored(&page.audience, groups.remove(&page.id).unwrap_or_default())?;
        entries.push(IndexEntry {
            key: format!("page:{}", page.id),
            subject: format!("page:{}", page.id),
            kind: ResultKind::Page,
            audience: audience_tokens(&audience),
            title_indexed: true,
            tags: Vec::new(),
            body: plain_text(&page.body_markdown),
            url: crate::pages::page_path(&page.slug),
            location: "Pages".to_owned(),
            updated: page.imported_at,
            title: page.title,
            summary: page.summary,
        });
    }
    Ok(entries)
}

async fn module_entries(db: &DatabaseConnection, id: Option<i32>) -> Result<Vec<IndexEntry>> {
    let mut modules = module::Entity::find();
    let mut lessons = lesson::Entity::find().order_by_asc(lesson::Column::Position);
    if let Some(id) = id {
        modules = modules.filter(module::Column::Id.eq(id));
        lessons = lessons.filter(lesson::Column::ModuleId.eq(id));
    }
    let modules: HashMap<i32, module::Model> = modules
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    let lessons = lessons.all(db).await?;
    let mut entries = Vec::with_capacity(modules.len() + lessons.len());
    for module in modules.values() {
        let subject = format!("module:{}", module.id);
        let outcomes = crate::learning::parse_list(&module.outcomes);
        entries.push(IndexEntry {
            key: subject.clone(),
            subject,
            kind: ResultKind::Module,
            audience: audience_tokens(&Audience::Public),
            title: module.title.clone(),
            title_indexed: true,
            tags: crate::learning::parse_list(&module.topics)
                .iter()
                .map(|topic| topic.replace('-', " "))
                .collect(),
            body: format!("{}\n{}", module.summary, outcomes.join("\n")),
            summary: module.summary.clone(),
            url: format!("/learning/{}", module.slug),
            location: "eLearning".to_owned(),
            updated: module.updated_at,
        });
    }
    for lesson in lessons {
        let Some(module) = modules.get(&lesson.module_id) else {
            continue;
        };
        entries.push(IndexEntry {
            key: format!("lesson:{}", lesson.id),
            subject: format!("module:{}", module.id),
            kind: ResultKind::Lesson,
            audience: audience_tokens(&Audience::Members),
            title_indexed: true,
            tags: Vec::new(),
            body: format!("{}\n{}", lesson.summary, plain_text(&lesson.body_markdown)),
            url: format!("/learning/{}/{}", module.slug, lesson.slug),
            location: format!("eLearning › {}", module.title),
            updated: module.updated_at,
            title: lesson.title,
            summary: lesson.summary,
        });
    }
    Ok(entries)
}

async fn topic_entries(db: &DatabaseConnection, topic_id: i32) -> Result<Vec<IndexEntry>> {
    let Some(topic) = topic::Entity::find_by_id(topic_id).one(db).await? else {
        return Ok(Vec::new());
    };
    let forums = ForumAudiences::load(db).await?;
    let Some((forum, audience)) = forums.of(topic.forum_id) else {
        return Ok(Vec::new());
    };
    let posts = visible_posts()
        .filter(post::Column::TopicId.eq(topic.id))
        .order_by_asc(post::Column::Number)
        .all(db)
        .await?;
    Ok(posts
        .into_iter()
        .map(|post| post_entry(post, &topic, forum, audience))
        .collect())
}

fn post_entry(
    post: post::Model,
    topic: &topic::Model,
    forum: &forum::Model,
    audience: &[String],
) -> IndexEntry {
    let first = post.number == 1;
    IndexEntry {
        key: format!("post:{}", post.id),
        subject: topic_subject(topic.id),
        kind: ResultKind::ForumPost,
        audience: audience.to_vec(),
        title: topic.title.clone(),
        title_indexed: first,
        tags: if first {
            crate::forums::tags_of(&topic.tags)
        } else {
            Vec::new()
        },
        body: plain_text(&post.body_markdown),
        summary: String::new(),
        url: format!("/forums/posts/{}", post.id),
        location: format!("Forums › {}", forum.name),
        updated: post.edited_at.unwrap_or(post.created_at),
    }
}

fn topic_subject(topic_id: i32) -> String {
    format!("topic:{topic_id}")
}

/// Posts that readers of their topic see: neither deleted nor hidden by a moderator.
fn visible_posts() -> sea_orm::Select<post::Entity> {
    post::Entity::find()
        .filter(post::Column::DeletedAt.is_null())
        .filter(post::Column::HiddenAt.is_null())
}

/// Every forum with the audience tokens of its readers. Forums are for approved members, so a
/// forum stored as public is read by members.
struct ForumAudiences(HashMap<i32, (forum::Model, Vec<String>)>);

impl ForumAudiences {
    async fn load(db: &DatabaseConnection) -> Result<Self> {
        let mut groups = access::stored_groups_by_item(db, crate::forums::READERS).await?;
        let mut forums = HashMap::new();
        for forum in forum::Entity::find().all(db).await? {
            let audience = match Audience::from_stored(
                &forum.audience,
                groups.remove(&forum.id).unwrap_or_default(),
            )? {
                Audience::Public => Audience::Members,
                other => other,
            };
            forums.insert(forum.id, (forum, audience_tokens(&audience)));
        }
        Ok(Self(forums))
    }

    fn of(&self, forum_id: i32) -> Option<(&forum::Model, &[String])> {
        self.0
            .get(&forum_id)
            .map(|(forum, audience)| (forum, audience.as_slice()))
    }
}
