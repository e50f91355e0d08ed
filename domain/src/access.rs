//! The one permission model: what an [`Actor`] may do ([`Permission`], decided by
//! [`Actor::allows`]), who may see an item ([`Audience`], also usable as a query filter), and
//! the access rule each route declares ([`Access`]). Every area decides through these, so a
//! page or endpoint never decides access itself.

use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};
use serde::{Deserialize, Serialize};

use crate::accounts::{Actor, Member, MemberStatus, Role};
use crate::{Error, Result};

/// Something an actor may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission<'a> {
    /// Anything a signed-in person may do, pending or approved (see their application,
    /// manage their devices).
    UseAccount,
    /// Take part as an approved member: read members' content, learn, keep CPD.
    TakePart,
    /// Read an item with this audience.
    Read(&'a Audience),
    /// Moderate the forum of a group (`None`: the general network forum).
    Moderate(Option<&'a str>),
    /// Publish and edit authored content (modules, library, newsletters).
    EditContent,
    /// Manage members, groups and the site.
    Administer,
    /// Self-assess the named organisation (force) against the Foundation OH Standards.
    AssessOrganisation(&'a str),
}

/// Standing permissions granted to a member beyond their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grant {
    /// May complete their own organisation's standards self-assessment.
    ForceAssessor,
}

impl Grant {
    /// Every grant, for forms and validation.
    pub const ALL: [Grant; 1] = [Grant::ForceAssessor];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Grant::ForceAssessor => "force-assessor",
        }
    }

    /// Parses the stored form.
    pub fn parse(text: &str) -> Option<Grant> {
        Grant::ALL.into_iter().find(|grant| grant.as_str() == text)
    }
}

impl Actor {
    /// Decides whether this actor may do `permission`: the approved member when allowed,
    /// [`Error::Unauthenticated`] for a visitor who must sign in first, otherwise
    /// [`Error::Forbidden`] (an area turns that into [`Error::NotFound`] where even the
    /// item's existence is private).
    pub fn allows(&self, permission: Permission<'_>) -> Result<&Member> {
        let member = self.member().ok_or(Error::Unauthenticated)?;
        if permission == Permission::UseAccount {
            return Ok(member);
        }
        if member.status != MemberStatus::Active {
            return Err(Error::Forbidden);
        }
        let is_admin = member.role == Role::Administrator;
        let allowed = match permission {
            Permission::UseAccount | Permission::TakePart => true,
            Permission::Read(audience) => audience.admits(member),
            Permission::Moderate(group) => match member.role {
                Role::Administrator => true,
                Role::Moderator => match (&member.moderates, group) {
                    (None, _) => true,
                    (Some(scope), Some(group)) => scope == group,
                    (Some(_), None) => false,
                },
                Role::Member | Role::Editor => false,
            },
            Permission::EditContent => is_admin || member.role == Role::Editor,
            Permission::Administer => is_admin,
            Permission::AssessOrganisation(organisation) => {
                member.grants.contains(&Grant::ForceAssessor)
                    && member.organisation.as_deref() == Some(organisation)
            }
        };
        if allowed {
            Ok(member)
        } else {
            Err(Error::Forbidden)
        }
    }
}

/// Who may see an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// Anyone, signed in or not.
    Public,
    /// Every approved member.
    Members,
    /// Approved members of any of these groups (slugs) only; nobody else learns it exists.
    Groups(Vec<String>),
}

impl Audience {
    /// Stored form of the kind: `public`, `members` or `groups` (the groups are stored apart).
    pub fn kind(&self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Members => "members",
            Audience::Groups(_) => "groups",
        }
    }

    /// Rebuilds an audience from its stored kind and group slugs.
    pub fn from_stored(kind: &str, groups: Vec<String>) -> Result<Audience> {
        match kind {
            "public" => Ok(Audience::Public),
            "members" => Ok(Audience::Members),
            "groups" => Ok(Audience::Groups(groups)),
            other => Err(Error::Internal(format!("unknown audience kind {other:?}"))),
        }
    }

    /// True when an approved `member` belongs to this audience.
    fn admits(&self, member: &Member) -> bool {
        match self {
            Audience::Public | Audience::Members => true,
            Audience::Groups(groups) => groups.iter().any(|group| member.groups.contains(group)),
        }
    }

    /// True when `actor` may see an item with this audience.
    pub fn visible_to(&self, actor: &Actor) -> bool {
        *self == Audience::Public || actor.allows(Permission::Read(self)).is_ok()
    }
}

/// A query filter keeping only the rows `actor` may see, for a table whose audience kind is
/// in `kind_column` and whose restricted groups are rows of `audience_groups` (`item_kind`,
/// `item_id`, `group_slug`) pointing at `id_column`. Every list, count, search and fan-out of
/// an area uses it, so a private item is excluded in the query itself.
pub fn visible_to(
    actor: &Actor,
    item_kind: &str,
    kind_column: impl ColumnTrait,
    id_column: impl ColumnTrait,
) -> Condition {
    let mut visible = Condition::any().add(kind_column.eq(Audience::Public.kind()));
    let Ok(member) = actor.allows(Permission::TakePart) else {
        return visible;
    };
    visible = visible.add(kind_column.eq(Audience::Members.kind()));
    if !member.groups.is_empty() {
        let in_groups: SimpleExpr = id_column.in_subquery(
            Query::select()
                .column(AudienceGroups::ItemId)
                .from(AudienceGroups::Table)
                .and_where(Expr::col(AudienceGroups::ItemKind).eq(item_kind))
                .and_where(Expr::col(AudienceGroups::GroupSlug).is_in(member.groups.clone()))
                .to_owned(),
        );
        visible = visible.add(
            Condition::all()
                .add(kind_column.eq(Audience::Groups(Vec::new()).kind()))
                .add(in_groups),
        );
    }
    visible
}

/// Replaces the restricted groups stored for item `item_id` of `item_kind` with `audience`'s
/// (none unless it is [`Audience::Groups`]), inside the caller's transaction.
pub(crate) async fn store_groups(
    conn: &impl ConnectionTrait,
    item_kind: &str,
    item_id: i32,
    audience: &Audience,
) -> Result<()> {
    conn.execute(
        Query::delete()
            .from_table(AudienceGroups::Table)
            .and_where(Expr::col(AudienceGroups::ItemKind).eq(item_kind))
            .and_where(Expr::col(AudienceGroups::ItemId).eq(item_id)),
    )
    .await?;
    if let Audience::Groups(groups) = audience
        && !groups.is_empty()
    {
        let mut insert = Query::insert();
        insert.into_table(AudienceGroups::Table).columns([
            AudienceGroups::ItemKind,
            AudienceGroups::ItemId,
            AudienceGroups::GroupSlug,
        ]);
        for group in groups {
            insert
                .values([item_kind.into(), item_id.into(), group.as_str().into()])
                .map_err(|err| Error::Internal(err.to_string()))?;
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// The groups stored for item `item_id` of `item_kind`.
pub(crate) async fn stored_groups(
    conn: &impl ConnectionTrait,
    item_kind: &str,
    item_id: i32,
) -> Result<Vec<String>> {
    let rows = conn
        .query_all(
            Query::select()
                .column(AudienceGroups::GroupSlug)
                .from(AudienceGroups::Table)
                .and_where(Expr::col(AudienceGroups::ItemKind).eq(item_kind))
                .and_where(Expr::col(AudienceGroups::ItemId).eq(item_id)),
        )
        .await?;
    rows.into_iter()
        .map(|row| row.try_get::<String>("", "group_slug").map_err(Error::from))
        .collect()
}

/// The groups stored for every item of `item_kind`, by item id (for building an index).
pub(crate) async fn stored_groups_by_item(
    conn: &impl ConnectionTrait,
    item_kind: &str,
) -> Result<std::collections::HashMap<i32, Vec<String>>> {
    let rows = conn
        .query_all(
            Query::select()
                .columns([AudienceGroups::ItemId, AudienceGroups::GroupSlug])
                .from(AudienceGroups::Table)
                .and_where(Expr::col(AudienceGroups::ItemKind).eq(item_kind)),
        )
        .await?;
    let mut groups: std::collections::HashMap<i32, Vec<String>> = Default::default();
    for row in rows {
        let item: i32 = row.try_get("", "item_id")?;
        groups
            .entry(item)
            .or_default()
            .push(row.try_get("", "group_slug")?);
    }
    Ok(groups)
}

/// The `audience_groups` table: which groups may see a restricted item of any area.
#[derive(Clone, Copy, Debug, sea_orm::DeriveIden)]
pub(crate) enum AudienceGroups {
    /// The table.
    Table,
    /// The area's item kind, e.g. `page`.
    ItemKind,
    /// The item's id in its own table.
    ItemId,
    /// A group slug.
    GroupSlug,
}

/// The access rule a route declares in the route registry. The route's handler still asks
/// the domain; the rule is what the authorization matrix expects of every kind of visitor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// Anyone signed in, pending or approved.
    SignedIn,
    /// Approved members.
    Member,
    /// Editors and administrators.
    Editor,
    /// Administrators.
    Administrator,
}

impl Access {
    /// Decides the rule for `actor` (through [`Actor::allows`]).
    pub fn check(self, actor: &Actor) -> Result<()> {
        let permission = match self {
            Access::Public => return Ok(()),
            Access::SignedIn => Permission::UseAccount,
            Access::Member => Permission::TakePart,
            Access::Editor => Permission::EditContent,
            Access::Administrator => Permission::Administer,
        };
        actor.allows(permission).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(role: Role, status: MemberStatus, groups: &[&str]) -> Actor {
        Actor::Member(Member {
            id: 1,
            name: "A".into(),
            email: "a@example.org".into(),
            role,
            status,
            groups: groups.iter().map(|group| (*group).to_owned()).collect(),
            moderates: None,
            organisation: Some("kent".into()),
            grants: Vec::new(),
        })
    }

    /// One row per kind of actor; one column per permission: `Ok`, `Unauthenticated` (U) or
    /// `Forbidden` (F).
    #[test]
    fn permission_table() {
        let cmo_only = Audience::Groups(vec!["cmo".into()]);
        let permissions = [
            Permission::UseAccount,
            Permission::TakePart,
            Permission::Read(&Audience::Members),
            Permission::Read(&cmo_only),
            Permission::Moderate(None),
            Permission::Moderate(Some("cmo")),
            Permission::EditContent,
            Permission::Administer,
            Permission::AssessOrganisation("kent"),
        ];
        let mut assessor = person(Role::Member, MemberStatus::Active, &[]);
        if let Actor::Member(member) = &mut assessor {
            member.grants.push(Grant::ForceAssessor);
        }
        let mut scoped = person(Role::Moderator, MemberStatus::Active, &[]);
        if let Actor::Member(member) = &mut scoped {
            member.moderates = Some("physiotherapists".into());
        }
        let table: [(&str, Actor, &str); 10] = [
            ("anonymous", Actor::Anonymous, "UUUUUUUUU"),
            (
                "pending",
                person(Role::Member, MemberStatus::Pending, &["cmo"]),
                "YFFFFFFFF",
            ),
            (
                "member",
                person(Role::Member, MemberStatus::Active, &[]),
                "YYYFFFFFF",
            ),
            (
                "cmo member",
                person(Role::Member, MemberStatus::Active, &["cmo"]),
                "YYYYFFFFF",
            ),
            (
                "moderator",
                person(Role::Moderator, MemberStatus::Active, &[]),
                "YYYFYYFFF",
            ),
            ("scoped moderator", scoped, "YYYFFFFFF"),
            (
                "editor",
                person(Role::Editor, MemberStatus::Active, &[]),
                "YYYFFFYFF",
            ),
            (
                "administrator",
                person(Role::Administrator, MemberStatus::Active, &[]),
                "YYYFYYYYF",
            ),
            ("force assessor", assessor, "YYYFFFFFY"),
            (
                "suspended",
                person(Role::Administrator, MemberStatus::Suspended, &["cmo"]),
                "YFFFFFFFF",
            ),
        ];
        for (name, actor, expected) in table {
            let got: String = permissions
                .iter()
                .map(|permission| match actor.allows(*permission) {
                    Ok(_) => 'Y',
                    Err(Error::Unauthenticated) => 'U',
                    Err(_) => 'F',
                })
                .collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn scoped_moderators_moderate_their_group_only() {
        let Actor::Member(mut member) = person(Role::Moderator, MemberStatus::Active, &[]) else {
            unreachable!()
        };
        member.moderates = Some("physiotherapists".into());
        let scoped = Actor::Member(member);
        assert!(
            scoped
                .allows(Permission::Moderate(Some("physiotherapists")))
                .is_ok()
        );
        assert!(scoped.allows(Permission::Moderate(Some("cmo"))).is_err());
    }

    #[test]
    fn assessors_assess_only_their_own_organisation() {
        let Actor::Member(mut member) = person(Role::Member, MemberStatus::Active, &[]) else {
            unreachable!()
        };
        member.grants.push(Grant::ForceAssessor);
        let assessor = Actor::Member(member);
        assert!(
            assessor
                .allows(Permission::AssessOrganisation("kent"))
                .is_ok()
        );
        assert!(
            assessor
                .allows(Permission::AssessOrganisation("essex"))
                .is_err()
        );
    }

    #[test]
    fn audiences_are_visible_as_expected() {
        let cmo_only = Audience::Groups(vec!["cmo".into()]);
        assert!(Audience::Public.visible_to(&Actor::Anonymous));
        assert!(!Audience::Members.visible_to(&Actor::Anonymous));
        let member = person(Role::Member, MemberStatus::Active, &[]);
        assert!(Audience::Members.visible_to(&member));
        assert!(!cmo_only.visible_to(&member));
        assert!(
            !cmo_only.visible_to(&person(Role::Administrator, MemberStatus::Active, &[])),
            "administrators outside the group do not read it"
        );
        assert!(cmo_only.visible_to(&person(Role::Member, MemberStatus::Active, &["cmo"])));
        assert!(!cmo_only.visible_to(&person(Role::Member, MemberStatus::Pending, &["cmo"])));
    }

    #[test]
    fn stored_audiences_round_trip() {
        for audience in [
            Audience::Public,
            Audience::Members,
            Audience::Groups(vec!["cmo".into()]),
        ] {
            let groups = match &audience {
                Audience::Groups(groups) => groups.clone(),
                _ => Vec::new(),
            };
            assert_eq!(
                Audience::from_stored(audience.kind(), groups).ok(),
                Some(audience)
            );
        }
        assert!(Audience::from_stored("everyone", Vec::new()).is_err());
    }
}
