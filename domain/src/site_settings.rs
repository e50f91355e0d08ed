//! Settings administrators change in the app (rather than in configuration), one row per key
//! in `site_settings`. Each area names its own keys and checks its own values; an unset key
//! reads as the area's default.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::Result;

/// `site_settings`: one setting.
pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "site_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub value: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The stored value of `key`, if it was ever set.
pub(crate) async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>> {
    Ok(entity::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|row| row.value))
}

/// Stores `value` under `key`, replacing what was there.
pub(crate) async fn set(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<()> {
    entity::Entity::insert(entity::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(entity::Column::Key)
            .update_columns([entity::Column::Value, entity::Column::UpdatedAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}
