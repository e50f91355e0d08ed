//! `cpd_entries`: continuing professional development activities a member has recorded.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cpd_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    /// The kind of activity, e.g. `self-directed-learning`.
    pub kind: String,
    /// NMC "participatory" learning (with other people); solo e-learning is not.
    pub participatory: bool,
    pub minutes: i32,
    pub occurred_on: Date,
    pub reflection: String,
    /// Where an automatic entry came from (`learning-module:<slug>`), unique per member.
    pub source: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
