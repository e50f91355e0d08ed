//! Module images, served to approved members with the lessons they belong to.

use sea_orm::EntityTrait;

use super::entities::media;
use super::{LearningService, MediaFile};
use crate::accounts::Actor;
use crate::{Error, Result};

impl LearningService {
    /// An image from a module, for approved members (it belongs to the lessons).
    pub async fn media(
        &self,
        actor: &Actor,
        module_slug: &str,
        file_name: &str,
    ) -> Result<MediaFile> {
        actor.require_active()?;
        let row = self.module_by_slug(module_slug).await?;
        let found = media::Entity::find_by_id((row.id, file_name.to_owned()))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(MediaFile {
            content_type: found.content_type,
            bytes: self
                .files
                .read(found.bytes, found.object_key.as_deref())
                .await?,
        })
    }
}
