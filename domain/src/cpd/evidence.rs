//! Evidence files on CPD entries (a certificate of attendance, notes, a programme). The owner
//! uploads, downloads and removes them; an administrator may download one, and every such
//! download is audited. Nobody else learns that a file exists.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

use super::CpdService;
use super::entities::{entry, evidence};
use crate::accounts::{Actor, RequestOrigin, Role};
use crate::uploads::{FileSummary, StoredFile, check_upload};
use crate::{Error, Result};

impl CpdService {
    /// Attaches `bytes` as `file_name` to the entry `entry_id` of `actor`'s log (replacing a
    /// file of the same name) after checking the name, the size and the type from the bytes;
    /// the stored name.
    pub async fn attach_evidence(
        &self,
        actor: &Actor,
        entry_id: i32,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<String> {
        let row = self.own_entry(actor, entry_id).await?;
        let checked = check_upload("evidence", file_name, &bytes, self.max_upload_bytes)?;
        let placed = self.files.place(bytes).await?;
        let txn = self.db.begin().await?;
        evidence::Entity::delete_many()
            .filter(evidence::Column::EntryId.eq(row.id))
            .filter(evidence::Column::FileName.eq(&checked.file_name))
            .exec(&txn)
            .await?;
        evidence::ActiveModel {
            entry_id: Set(row.id),
            file_name: Set(checked.file_name.clone()),
            content_type: Set(checked.content_type.to_owned()),
            size: Set(checked.size),
            bytes: Set(placed.bytes),
            object_key: Set(placed.object_key),
            uploaded_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(checked.file_name)
    }

    /// Removes the evidence file `file_name` from the entry `entry_id` of `actor`'s log.
    pub async fn remove_evidence(
        &self,
        actor: &Actor,
        entry_id: i32,
        file_name: &str,
    ) -> Result<()> {
        let row = self.own_entry(actor, entry_id).await?;
        let removed = evidence::Entity::delete_many()
            .filter(evidence::Column::EntryId.eq(row.id))
            .filter(evidence::Column::FileName.eq(file_name))
            .exec(&self.db)
            .await?;
        if removed.rows_affected == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// The evidence file `file_name` of the entry `entry_id`: for the entry's owner, or for an
    /// administrator, whose download is recorded in the audit log. "Not found" for everyone else.
    pub async fn evidence(
        &self,
        actor: &Actor,
        entry_id: i32,
        file_name: &str,
        origin: &RequestOrigin,
    ) -> Result<StoredFile> {
        let member = actor.require_active()?;
        let administrator = actor.require_role(Role::Administrator).is_ok();
        let owner_id: Option<i32> = entry::Entity::find_by_id(entry_id)
            .select_only()
            .column(entry::Column::UserId)
            .into_tuple()
            .one(&self.db)
            .await?;
        let Some(owner_id) = owner_id else {
            return Err(Error::NotFound);
        };
        if owner_id != member.id && !administrator {
            return Err(Error::NotFound);
        }
        let found = evidence::Entity::find()
            .filter(evidence::Column::EntryId.eq(entry_id))
            .filter(evidence::Column::FileName.eq(file_name))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        if owner_id != member.id {
            // Names only the entry and its owner by number: the file name may say too much.
            crate::audit::record(
                &self.db,
                actor,
                "cpd.evidence-download",
                &format!("member:{owner_id}"),
                &format!("evidence {} of CPD entry {entry_id}", found.id),
                origin.ip_text().as_deref(),
            )
            .await?;
        }
        Ok(StoredFile {
            file_name: found.file_name,
            content_type: found.content_type,
            bytes: self
                .files
                .read(found.bytes, found.object_key.as_deref())
                .await?,
        })
    }

    /// The evidence files of the entry `entry_id`, by name (without their bytes).
    pub(super) async fn evidence_of(&self, entry_id: i32) -> Result<Vec<FileSummary>> {
        let rows: Vec<(String, String, i64)> = evidence::Entity::find()
            .select_only()
            .columns([
                evidence::Column::FileName,
                evidence::Column::ContentType,
                evidence::Column::Size,
            ])
            .filter(evidence::Column::EntryId.eq(entry_id))
            .order_by_asc(evidence::Column::FileName)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(file_name, content_type, size)| FileSummary::of(file_name, &content_type, size))
            .collect())
    }
}
