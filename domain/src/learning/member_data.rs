//! What eLearning holds about one member, for "download my data": the modules they started
//! or passed and their certificates.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::LearningService;
use super::entities::{certificate, module, record};
use crate::Result;

impl LearningService {
    /// The member's module records and certificates.
    pub(crate) async fn member_data(&self, member_id: i32) -> Result<serde_json::Value> {
        let modules = module::Entity::find().all(&self.db).await?;
        let title_of = |module_id: i32| {
            modules
                .iter()
                .find(|module| module.id == module_id)
                .map(|module| module.title.clone())
                .unwrap_or_default()
        };
        let records: Vec<serde_json::Value> = record::Entity::find()
            .filter(record::Column::UserId.eq(member_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                serde_json::json!({
                    "module": title_of(row.module_id),
                    "started_at": row.started_at,
                    "last_lesson": row.last_lesson,
                    "passed_at": row.passed_at,
                })
            })
            .collect();
        let certificates: Vec<serde_json::Value> = certificate::Entity::find()
            .filter(certificate::Column::UserId.eq(member_id))
            .order_by_asc(certificate::Column::IssuedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                serde_json::json!({
                    "module": row.module_title,
                    "code": row.code,
                    "cpd_minutes": row.cpd_minutes,
                    "issued_at": row.issued_at,
                })
            })
            .collect();
        Ok(serde_json::json!({ "modules": records, "certificates": certificates }))
    }
}
