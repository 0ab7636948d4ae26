use sea_orm::entity::prelude::*;

/// `products.status` of a product on sale (the other is `archived`).
pub const STATUS_ACTIVE: &str = "active";

/// A product of the catalogue. Prices are integer cents **including VAT**; the VAT rate is in
/// basis points (550 = 5.5 %). Texts come in French and English.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    #[sea_orm(unique)]
    pub sku: String,
    pub category_id: i32,
    /// `supplement` or `cosmetic`.
    pub kind: String,
    pub name_fr: String,
    pub name_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub composition_fr: String,
    pub composition_en: String,
    pub usage_fr: String,
    pub usage_en: String,
    pub price_cents: i64,
    pub vat_rate_bp: i32,
    /// Net quantity in grams or millilitres (see `net_unit`).
    pub net_quantity: i32,
    /// `g` or `ml`.
    pub net_unit: String,
    pub stock: i32,
    pub lead_time_days: i32,
    /// Allowed subscription frequencies in months, comma separated (empty: not eligible).
    pub subscription_months: String,
    pub image: String,
    pub featured: bool,
    /// `active` or `archived`.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Folded name words (both languages) and SKU, indexed for search with the higher weight.
    pub search_title: String,
    /// Folded summary, description and composition words (both languages), indexed for search.
    pub search_body: String,
    /// The folded French name, for sorting by name.
    pub name_key_fr: String,
    /// The folded English name, for sorting by name.
    pub name_key_en: String,
    /// Packed weight, for the shipping rate tables.
    pub shipping_weight_grams: i32,
    /// The sale whose price is in force in `price_cents` (see `app::promotions::sales`).
    pub sale_id: Option<i32>,
    /// While on sale: the catalogue price, back in force when the sale ends.
    pub price_before_sale_cents: Option<i64>,
    /// While on sale: the lowest price of the 30 days before the reduction (L112-1-1), the
    /// only "was" price the shop may show.
    pub reference_price_cents: Option<i64>,
    /// A variant's product: the first variant, which carries the texts, category and pictures
    /// and is the one listed (`None` for it). See migration 42.
    pub variant_of: Option<i32>,
    /// The variant in the page's address (`?v=50ml`), unique within its product.
    pub variant_code: String,
    /// The variant's name (`50 ml`), shown once the product has more than one (empty before).
    pub variant_label_fr: String,
    pub variant_label_en: String,
    /// Order in the product's picker.
    pub variant_position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::category::Entity",
        from = "Column::CategoryId",
        to = "super::category::Column::Id",
        on_delete = "Restrict"
    )]
    Category,
    #[sea_orm(has_many = "super::product_image::Entity")]
    Image,
}

impl Related<super::category::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Category.def()
    }
}

impl Related<super::product_image::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Image.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// The code a product's only variant is given: its net quantity (`60g`).
pub fn variant_code(net_quantity: i32, net_unit: &str) -> String {
    format!("{net_quantity}{net_unit}")
}

impl Model {
    /// The product this variant belongs to: its first variant's id.
    pub fn family_id(&self) -> i32 {
        self.variant_of.unwrap_or(self.id)
    }

    /// The name a line of a cart or an order carries: the product's, with the variant's label
    /// once the product has several (`Crème hydratante — 50 ml`).
    pub fn sold_name(&self, english: bool) -> String {
        let (name, label) = if english {
            (&self.name_en, &self.variant_label_en)
        } else {
            (&self.name_fr, &self.variant_label_fr)
        };
        if label.is_empty() {
            name.clone()
        } else {
            format!("{name} — {label}")
        }
    }
}
