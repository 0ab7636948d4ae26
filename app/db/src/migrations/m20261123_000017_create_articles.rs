//! Research articles: the text (Markdown) with its cover, byline and publication date, its
//! tags and related products, and every change editors made (`article_revisions`: who, what,
//! when).

use super::m20261122_000002_create_products::Products;
use super::m20261122_000005_create_accounts::Users;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Articles::Table)
                    .col(pk_auto(Articles::Id))
                    .col(string_uniq(Articles::Slug))
                    // `fr` or `en`: the language the article is written in.
                    .col(string(Articles::Lang))
                    .col(string(Articles::Title))
                    .col(text(Articles::Summary))
                    // Markdown, rendered and sanitised on the server at each reading.
                    .col(text(Articles::Body))
                    // A path under `/media/` (an upload) or `/img/` (the demo's own drawings).
                    .col(string_null(Articles::CoverImage))
                    .col(string(Articles::CoverAlt))
                    .col(integer_null(Articles::CoverWidth))
                    .col(integer_null(Articles::CoverHeight))
                    .col(string(Articles::Author))
                    // `draft` or `published`; a published article with a publication date to
                    // come stays hidden until then.
                    .col(string(Articles::Status))
                    .col(timestamp_with_time_zone_null(Articles::PublishedAt))
                    .col(timestamp_with_time_zone(Articles::CreatedAt))
                    .col(timestamp_with_time_zone(Articles::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_articles_status_published")
                    .table(Articles::Table)
                    .col(Articles::Status)
                    .col(Articles::PublishedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArticleTags::Table)
                    .col(pk_auto(ArticleTags::Id))
                    .col(integer(ArticleTags::ArticleId))
                    // The tag as a URL word (`?tag=…`) and as the editor wrote it.
                    .col(string(ArticleTags::Slug))
                    .col(string(ArticleTags::Label))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_article_tags_article")
                            .from(ArticleTags::Table, ArticleTags::ArticleId)
                            .to(Articles::Table, Articles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_article_tags_article_slug")
                    .table(ArticleTags::Table)
                    .col(ArticleTags::ArticleId)
                    .col(ArticleTags::Slug)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_article_tags_slug")
                    .table(ArticleTags::Table)
                    .col(ArticleTags::Slug)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArticleProducts::Table)
                    .col(pk_auto(ArticleProducts::Id))
                    .col(integer(ArticleProducts::ArticleId))
                    .col(integer(ArticleProducts::ProductId))
                    .col(integer(ArticleProducts::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_article_products_article")
                            .from(ArticleProducts::Table, ArticleProducts::ArticleId)
                            .to(Articles::Table, Articles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_article_products_product")
                            .from(ArticleProducts::Table, ArticleProducts::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_article_products_article_product")
                    .table(ArticleProducts::Table)
                    .col(ArticleProducts::ArticleId)
                    .col(ArticleProducts::ProductId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArticleRevisions::Table)
                    .col(pk_auto(ArticleRevisions::Id))
                    .col(integer(ArticleRevisions::ArticleId))
                    .col(integer_null(ArticleRevisions::UserId))
                    // `created`, `edited`, `published`, `unpublished`, `cover`.
                    .col(string(ArticleRevisions::Action))
                    // The fields changed, comma separated (`title,body`).
                    .col(string(ArticleRevisions::Fields))
                    .col(timestamp_with_time_zone(ArticleRevisions::At))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_article_revisions_article")
                            .from(ArticleRevisions::Table, ArticleRevisions::ArticleId)
                            .to(Articles::Table, Articles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_article_revisions_user")
                            .from(ArticleRevisions::Table, ArticleRevisions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_article_revisions_article")
                    .table(ArticleRevisions::Table)
                    .col(ArticleRevisions::ArticleId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ArticleRevisions::Table.into_iden(),
            ArticleProducts::Table.into_iden(),
            ArticleTags::Table.into_iden(),
            Articles::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
    Slug,
    Lang,
    Title,
    Summary,
    Body,
    CoverImage,
    CoverAlt,
    CoverWidth,
    CoverHeight,
    Author,
    Status,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ArticleTags {
    Table,
    Id,
    ArticleId,
    Slug,
    Label,
}

#[derive(DeriveIden)]
enum ArticleProducts {
    Table,
    Id,
    ArticleId,
    ProductId,
    Position,
}

#[derive(DeriveIden)]
enum ArticleRevisions {
    Table,
    Id,
    ArticleId,
    UserId,
    Action,
    Fields,
    At,
}
