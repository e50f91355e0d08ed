//! Signed links in emails: a link that acts without signing in (one-click unsubscribe) carries
//! the member's id, what it is for, and an HMAC-SHA256 of both under a site key. The key is
//! made once, at random, and kept in `site_secrets`, so every process sharing the database
//! signs alike and a link keeps working across restarts.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use sha2::Sha256;

use crate::{Error, Result};

/// The key's name in `site_secrets`.
const LINK_KEY: &str = "email-link-signing";

/// What a signed link does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Turn off forum email.
    StopForumEmail,
    /// Read forum feeds, while the member's feed generation is this one.
    ReadFeeds {
        /// The member's feed generation when the address was made.
        generation: i32,
    },
}

impl LinkPurpose {
    fn label(self) -> String {
        match self {
            LinkPurpose::StopForumEmail => "forum-email".to_owned(),
            LinkPurpose::ReadFeeds { generation } => format!("feeds-{generation}"),
        }
    }
}

/// The `site_secrets` table.
mod site_secret {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "site_secrets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub value: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Signs and checks links with the site's key.
#[derive(Clone)]
pub struct LinkSigner {
    key: Vec<u8>,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("LinkSigner { .. }")
    }
}

impl LinkSigner {
    /// The signer with the site's key, making the key first if there is none (two processes
    /// racing both read the one that was stored).
    pub async fn load(conn: &impl ConnectionTrait) -> Result<Self> {
        let fresh = site_secret::ActiveModel {
            name: Set(LINK_KEY.to_owned()),
            value: Set(crate::accounts::tokens::random_token(32)),
        };
        site_secret::Entity::insert(fresh)
            .on_conflict_do_nothing_on([site_secret::Column::Name])
            .exec_without_returning(conn)
            .await?;
        let stored = site_secret::Entity::find_by_id(LINK_KEY.to_owned())
            .one(conn)
            .await?
            .ok_or_else(|| Error::Internal("the link-signing key is missing".to_owned()))?;
        Ok(Self {
            key: stored.value.into_bytes(),
        })
    }

    fn mac(&self, purpose: LinkPurpose, user_id: i32) -> Result<Hmac<Sha256>> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .map_err(|err| Error::Internal(format!("link-signing key: {err}")))?;
        mac.update(format!("{}:{user_id}", purpose.label()).as_bytes());
        Ok(mac)
    }

    /// The token for `purpose` and member `user_id`.
    pub fn sign(&self, purpose: LinkPurpose, user_id: i32) -> Result<String> {
        let signature = self.mac(purpose, user_id)?.finalize().into_bytes();
        Ok(format!("{user_id}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }

    /// The member a token says it was made for, unchecked: for finding what to check it
    /// against with [`LinkSigner::verify`].
    pub fn claimed_member(token: &str) -> Option<i32> {
        token.split_once('.')?.0.parse().ok()
    }

    /// The member a token for `purpose` was made for, if it is genuine.
    pub fn verify(&self, purpose: LinkPurpose, token: &str) -> Option<i32> {
        let (user, signature) = token.split_once('.')?;
        let user_id: i32 = user.parse().ok()?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        self.mac(purpose, user_id)
            .ok()?
            .verify_slice(&signature)
            .ok()
            .map(|()| user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_unchanged_and_for_its_member() {
        let signer = LinkSigner {
            key: b"test key".to_vec(),
        };
        let token = signer.sign(LinkPurpose::StopForumEmail, 42).unwrap();
        assert_eq!(signer.verify(LinkPurpose::StopForumEmail, &token), Some(42));
        let (_, signature) = token.split_once('.').unwrap();
        assert_eq!(
            signer.verify(LinkPurpose::StopForumEmail, &format!("43.{signature}")),
            None
        );
        assert_eq!(signer.verify(LinkPurpose::StopForumEmail, "42.AAAA"), None);
        assert_eq!(signer.verify(LinkPurpose::StopForumEmail, "nonsense"), None);
        assert_eq!(LinkSigner::claimed_member(&token), Some(42));
        let feeds = signer
            .sign(LinkPurpose::ReadFeeds { generation: 1 }, 42)
            .unwrap();
        assert_eq!(
            signer.verify(LinkPurpose::ReadFeeds { generation: 1 }, &feeds),
            Some(42)
        );
        assert_eq!(
            signer.verify(LinkPurpose::ReadFeeds { generation: 2 }, &feeds),
            None,
            "a new generation revokes the old addresses"
        );
        assert_eq!(signer.verify(LinkPurpose::StopForumEmail, &feeds), None);
        let other = LinkSigner {
            key: b"another key".to_vec(),
        };
        assert_eq!(other.verify(LinkPurpose::StopForumEmail, &token), None);
    }
}
