//! The demo catalogue of Comptoir Botanique (a fictional brand; texts are its own).
//! Pairs are (French, English).

type Text = (&'static str, &'static str);

pub struct CategorySeed {
    pub slug: &'static str,
    pub name: Text,
    pub description: Text,
}

#[derive(Clone, Copy)]
pub enum Kind {
    Supplement,
    Cosmetic,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Supplement => "supplement",
            Kind::Cosmetic => "cosmetic",
        }
    }

    /// French VAT: 5.5 % on food supplements, 20 % on cosmetics (basis points).
    pub fn vat_rate_bp(self) -> i32 {
        match self {
            Kind::Supplement => 550,
            Kind::Cosmetic => 2000,
        }
    }
}

pub struct ProductSeed {
    pub slug: &'static str,
    pub sku: &'static str,
    pub category: &'static str,
    pub kind: Kind,
    pub name: Text,
    pub summary: Text,
    pub description: Text,
    pub composition: Text,
    pub usage: Text,
    pub price_cents: i64,
    pub net_quantity: i32,
    pub net_unit: &'static str,
    pub stock: i32,
    pub lead_time_days: i32,
    pub subscription_months: &'static str,
    pub featured: bool,
}

pub const CATEGORIES: &[CategorySeed] = &[
    CategorySeed {
        slug: "vitalite",
        name: ("Vitalité & énergie", "Vitality & energy"),
        description: (
            "Minéraux, vitamines et plantes pour les journées bien remplies.",
            "Minerals, vitamins and plants for busy days.",
        ),
    },
    CategorySeed {
        slug: "sommeil-serenite",
        name: ("Sommeil & sérénité", "Sleep & calm"),
        description: (
            "Des plantes apaisantes pour retrouver des nuits calmes.",
            "Soothing plants for calmer nights.",
        ),
    },
    CategorySeed {
        slug: "soin-visage",
        name: ("Soin du visage", "Face care"),
        description: (
            "Nettoyer, traiter, hydrater : des formules d'origine naturelle.",
            "Cleanse, treat, moisturise: natural-origin formulas.",
        ),
    },
    CategorySeed {
        slug: "soin-corps",
        name: ("Soin du corps", "Body care"),
        description: (
            "Baumes, huiles et nettoyants doux pour toute la famille.",
            "Balms, oils and gentle cleansers for the whole family.",
        ),
    },
];

pub const PRODUCTS: &[ProductSeed] = &[
    ProductSeed {
        slug: "magnesium-marin-b6",
        sku: "CB-VIT-001",
        category: "vitalite",
        kind: Kind::Supplement,
        name: (
            "Magnésium marin & vitamine B6",
            "Marine magnesium & vitamin B6",
        ),
        summary: (
            "Contribue à réduire la fatigue, 60 gélules végétales.",
            "Helps reduce tiredness, 60 plant-based capsules.",
        ),
        description: (
            "Un magnésium d'origine marine, bien toléré, associé à la vitamine B6. Le magnésium et la vitamine B6 contribuent à réduire la fatigue et au fonctionnement normal du système nerveux.",
            "Well-tolerated marine magnesium paired with vitamin B6. Magnesium and vitamin B6 contribute to the reduction of tiredness and to the normal functioning of the nervous system.",
        ),
        composition: (
            "Oxyde de magnésium marin, gélule végétale (hydroxypropylméthylcellulose), chlorhydrate de pyridoxine. Pour 2 gélules : magnésium 300 mg (80 % VNR), vitamine B6 1,4 mg (100 % VNR).",
            "Marine magnesium oxide, plant capsule (hydroxypropyl methylcellulose), pyridoxine hydrochloride. Per 2 capsules: magnesium 300 mg (80% NRV), vitamin B6 1.4 mg (100% NRV).",
        ),
        usage: (
            "2 gélules par jour avec un grand verre d'eau, au cours d'un repas.",
            "2 capsules a day with a large glass of water, with a meal.",
        ),
        price_cents: 1690,
        net_quantity: 42,
        net_unit: "g",
        stock: 120,
        lead_time_days: 2,
        subscription_months: "1,2,3",
        featured: true,
    },
    ProductSeed {
        slug: "vitamine-d3-vegetale",
        sku: "CB-VIT-002",
        category: "vitalite",
        kind: Kind::Supplement,
        name: (
            "Vitamine D3 végétale en gouttes",
            "Plant-based vitamin D3 drops",
        ),
        summary: (
            "Issue du lichen, dans une huile d'olive vierge, 20 ml.",
            "From lichen, in virgin olive oil, 20 ml.",
        ),
        description: (
            "Une vitamine D3 d'origine végétale extraite du lichen, pour accompagner les mois où le soleil se fait rare. La vitamine D contribue au maintien d'une ossature normale et au fonctionnement normal du système immunitaire.",
            "Plant-based vitamin D3 from lichen, for the months when sunshine is scarce. Vitamin D contributes to the maintenance of normal bones and to the normal function of the immune system.",
        ),
        composition: (
            "Huile d'olive vierge extra, vitamine D3 (cholécalciférol issu de lichen), vitamine E. Pour 4 gouttes : vitamine D3 20 µg (400 % VNR).",
            "Extra virgin olive oil, vitamin D3 (cholecalciferol from lichen), vitamin E. Per 4 drops: vitamin D3 20 µg (400% NRV).",
        ),
        usage: (
            "4 gouttes par jour, pures ou dans une cuillère, de préférence au cours d'un repas.",
            "4 drops a day, neat or on a spoon, preferably with a meal.",
        ),
        price_cents: 1450,
        net_quantity: 20,
        net_unit: "ml",
        stock: 80,
        lead_time_days: 2,
        subscription_months: "1,2,3",
        featured: true,
    },
    ProductSeed {
        slug: "spiruline-bio",
        sku: "CB-VIT-003",
        category: "vitalite",
        kind: Kind::Supplement,
        name: ("Spiruline bio", "Organic spirulina"),
        summary: (
            "Cultivée en France, 180 comprimés de 500 mg.",
            "Grown in France, 180 tablets of 500 mg.",
        ),
        description: (
            "Une spiruline cultivée et séchée à basse température en France, pressée sans additif. Source naturelle de protéines et de fer.",
            "Spirulina grown and dried at low temperature in France, pressed without additives. A natural source of protein and iron.",
        ),
        composition: (
            "100 % spiruline (Arthrospira platensis) issue de l'agriculture biologique.",
            "100% spirulina (Arthrospira platensis) from organic farming.",
        ),
        usage: (
            "Commencer par 2 comprimés par jour et augmenter progressivement jusqu'à 6.",
            "Start with 2 tablets a day and increase gradually to 6.",
        ),
        price_cents: 1990,
        net_quantity: 90,
        net_unit: "g",
        stock: 45,
        lead_time_days: 3,
        subscription_months: "1,2,3",
        featured: false,
    },
    ProductSeed {
        slug: "omega-3-marin",
        sku: "CB-VIT-004",
        category: "vitalite",
        kind: Kind::Supplement,
        name: ("Oméga-3 d'origine marine", "Marine omega-3"),
        summary: (
            "EPA et DHA de petits poissons, 60 capsules.",
            "EPA and DHA from small fish, 60 capsules.",
        ),
        description: (
            "Une huile de petits poissons pêchés durablement, purifiée et protégée de l'oxydation. L'EPA et le DHA contribuent à une fonction cardiaque normale (250 mg par jour).",
            "Oil from sustainably caught small fish, purified and protected from oxidation. EPA and DHA contribute to the normal function of the heart (250 mg a day).",
        ),
        composition: (
            "Huile de poisson concentrée, gélatine de poisson, glycérol, vitamine E. Pour 2 capsules : EPA 360 mg, DHA 240 mg.",
            "Concentrated fish oil, fish gelatine, glycerol, vitamin E. Per 2 capsules: EPA 360 mg, DHA 240 mg.",
        ),
        usage: (
            "2 capsules par jour au cours d'un repas.",
            "2 capsules a day with a meal.",
        ),
        price_cents: 2490,
        net_quantity: 66,
        net_unit: "g",
        stock: 60,
        lead_time_days: 2,
        subscription_months: "1,2,3",
        featured: true,
    },
    ProductSeed {
        slug: "ashwagandha-bio",
        sku: "CB-SOM-001",
        category: "sommeil-serenite",
        kind: Kind::Supplement,
        name: ("Ashwagandha bio", "Organic ashwagandha"),
        summary: (
            "Extrait de racine titré, 60 gélules végétales.",
            "Standardised root extract, 60 plant-based capsules.",
        ),
        description: (
            "Une plante de la tradition ayurvédique, pour traverser les périodes chargées avec sérénité. Extrait de racine titré en withanolides.",
            "A plant of the Ayurvedic tradition, to get through busy periods calmly. Root extract standardised in withanolides.",
        ),
        composition: (
            "Extrait de racine d'ashwagandha bio (Withania somnifera) 300 mg par gélule, gélule végétale.",
            "Organic ashwagandha root extract (Withania somnifera) 300 mg per capsule, plant capsule.",
        ),
        usage: (
            "1 à 2 gélules par jour. Déconseillé aux femmes enceintes ou allaitantes.",
            "1 to 2 capsules a day. Not recommended during pregnancy or breastfeeding.",
        ),
        price_cents: 2290,
        net_quantity: 30,
        net_unit: "g",
        stock: 4,
        lead_time_days: 3,
        subscription_months: "1,2",
        featured: true,
    },
    ProductSeed {
        slug: "melisse-camomille",
        sku: "CB-SOM-002",
        category: "sommeil-serenite",
        kind: Kind::Supplement,
        name: ("Mélisse & camomille", "Lemon balm & chamomile"),
        summary: (
            "Un rituel du soir tout en douceur, 60 gélules.",
            "A gentle evening ritual, 60 capsules.",
        ),
        description: (
            "L'association de deux plantes traditionnellement utilisées le soir, pour favoriser la détente avant le coucher.",
            "Two plants traditionally used in the evening, to help you unwind before bed.",
        ),
        composition: (
            "Extraits de feuille de mélisse et de fleur de camomille matricaire, gélule végétale.",
            "Lemon balm leaf and German chamomile flower extracts, plant capsule.",
        ),
        usage: (
            "2 gélules le soir, une heure avant le coucher.",
            "2 capsules in the evening, an hour before bed.",
        ),
        price_cents: 1850,
        net_quantity: 24,
        net_unit: "g",
        stock: 70,
        lead_time_days: 2,
        subscription_months: "1,2,3",
        featured: false,
    },
    ProductSeed {
        slug: "serum-eclat-vitamine-c",
        sku: "CB-VIS-001",
        category: "soin-visage",
        kind: Kind::Cosmetic,
        name: ("Sérum éclat à la vitamine C", "Vitamin C radiance serum"),
        summary: (
            "Teint lumineux, 98 % d'ingrédients d'origine naturelle, 30 ml.",
            "Luminous complexion, 98% natural-origin ingredients, 30 ml.",
        ),
        description: (
            "Un sérum léger à la vitamine C stabilisée et à l'extrait d'églantier, qui ravive l'éclat du teint jour après jour.",
            "A light serum with stabilised vitamin C and rosehip extract that brings back radiance day after day.",
        ),
        composition: (
            "Aqua, glycérine, ascorbyl glucoside, extrait de fruit de Rosa canina, gomme xanthane, benzoate de sodium.",
            "Aqua, glycerin, ascorbyl glucoside, Rosa canina fruit extract, xanthan gum, sodium benzoate.",
        ),
        usage: (
            "Matin et soir, 3 gouttes sur le visage propre, avant la crème.",
            "Morning and evening, 3 drops on clean skin, before moisturiser.",
        ),
        price_cents: 3400,
        net_quantity: 30,
        net_unit: "ml",
        stock: 35,
        lead_time_days: 2,
        subscription_months: "",
        featured: true,
    },
    ProductSeed {
        slug: "creme-hydratante-aloe",
        sku: "CB-VIS-002",
        category: "soin-visage",
        kind: Kind::Cosmetic,
        name: (
            "Crème hydratante à l'aloe vera",
            "Aloe vera moisturising cream",
        ),
        summary: (
            "Hydratation 24 h pour peaux normales à sèches, 50 ml.",
            "24-hour hydration for normal to dry skin, 50 ml.",
        ),
        description: (
            "Une crème fondante à l'aloe vera et au beurre de karité, qui hydrate sans alourdir et apaise les tiraillements.",
            "A melting cream with aloe vera and shea butter that hydrates without heaviness and soothes tightness.",
        ),
        composition: (
            "Jus de feuille d'aloe vera, huile de jojoba, beurre de karité, glycérine, alcool cétéarylique, parfum naturel.",
            "Aloe vera leaf juice, jojoba oil, shea butter, glycerin, cetearyl alcohol, natural fragrance.",
        ),
        usage: (
            "Appliquer matin et soir sur le visage et le cou.",
            "Apply morning and evening to face and neck.",
        ),
        price_cents: 2750,
        net_quantity: 50,
        net_unit: "ml",
        stock: 50,
        lead_time_days: 2,
        subscription_months: "",
        featured: true,
    },
    ProductSeed {
        slug: "huile-demaquillante",
        sku: "CB-VIS-003",
        category: "soin-visage",
        kind: Kind::Cosmetic,
        name: (
            "Huile démaquillante au tournesol",
            "Sunflower cleansing oil",
        ),
        summary: (
            "Dissout le maquillage, se rince en lait, 100 ml.",
            "Melts make-up, rinses off as a milk, 100 ml.",
        ),
        description: (
            "Une huile fluide qui emporte maquillage et impuretés, puis se transforme en lait au contact de l'eau. Ne laisse pas de film gras.",
            "A fluid oil that lifts make-up and impurities, then turns into a milk with water. Leaves no greasy film.",
        ),
        composition: (
            "Huile de graines de tournesol, huile d'amande douce, polyglycéryl-4 oléate, tocophérol.",
            "Sunflower seed oil, sweet almond oil, polyglyceryl-4 oleate, tocopherol.",
        ),
        usage: (
            "Masser sur le visage sec, émulsionner avec un peu d'eau, rincer.",
            "Massage onto dry skin, emulsify with a little water, rinse.",
        ),
        price_cents: 2100,
        net_quantity: 100,
        net_unit: "ml",
        stock: 40,
        lead_time_days: 2,
        subscription_months: "",
        featured: false,
    },
    ProductSeed {
        slug: "baume-corps-karite",
        sku: "CB-CRP-001",
        category: "soin-corps",
        kind: Kind::Cosmetic,
        name: ("Baume corps au karité", "Shea body balm"),
        summary: (
            "Nourrit les peaux très sèches, 200 ml.",
            "Nourishes very dry skin, 200 ml.",
        ),
        description: (
            "Un baume généreux au beurre de karité et à l'huile de calendula, pour les peaux très sèches, du bout des pieds aux coudes.",
            "A generous balm with shea butter and calendula oil for very dry skin, from toes to elbows.",
        ),
        composition: (
            "Beurre de karité, huile de tournesol, macérât de calendula, cire de candelilla, tocophérol.",
            "Shea butter, sunflower oil, calendula macerate, candelilla wax, tocopherol.",
        ),
        usage: (
            "Réchauffer une noisette entre les mains et masser jusqu'à pénétration.",
            "Warm a small amount between your hands and massage in.",
        ),
        price_cents: 2400,
        net_quantity: 200,
        net_unit: "ml",
        stock: 25,
        lead_time_days: 2,
        subscription_months: "",
        featured: true,
    },
    ProductSeed {
        slug: "gel-douche-surgras",
        sku: "CB-CRP-002",
        category: "soin-corps",
        kind: Kind::Cosmetic,
        name: ("Gel douche surgras à l'avoine", "Oat rich shower gel"),
        summary: (
            "Lave en douceur sans dessécher, 250 ml.",
            "Gently cleanses without drying, 250 ml.",
        ),
        description: (
            "Une base lavante douce enrichie en avoine, pour toute la famille dès 3 ans. Respecte le film hydrolipidique de la peau.",
            "A mild cleansing base enriched with oat, for the whole family from age 3. Respects the skin's natural barrier.",
        ),
        composition: (
            "Aqua, coco-glucoside, glycérine, extrait de grain d'avoine, bétaïne, acide citrique.",
            "Aqua, coco-glucoside, glycerin, oat kernel extract, betaine, citric acid.",
        ),
        usage: (
            "Faire mousser sur peau mouillée, rincer.",
            "Lather on wet skin, rinse.",
        ),
        price_cents: 1290,
        net_quantity: 250,
        net_unit: "ml",
        stock: 3,
        lead_time_days: 2,
        subscription_months: "",
        featured: false,
    },
    ProductSeed {
        slug: "huile-seche-corps",
        sku: "CB-CRP-003",
        category: "soin-corps",
        kind: Kind::Cosmetic,
        name: ("Huile sèche satinée", "Satin dry oil"),
        summary: (
            "Corps et cheveux, absorbée en un instant, 100 ml.",
            "Body and hair, absorbed in an instant, 100 ml.",
        ),
        description: (
            "Un mélange d'huiles de noisette et de camélia qui pénètre en quelques secondes et laisse un fini satiné.",
            "A blend of hazelnut and camellia oils that absorbs in seconds and leaves a satin finish.",
        ),
        composition: (
            "Huile de noisette, huile de camélia, squalane végétal, tocophérol, parfum naturel.",
            "Hazelnut oil, camellia oil, plant squalane, tocopherol, natural fragrance.",
        ),
        usage: (
            "Vaporiser sur la peau ou les pointes, masser.",
            "Spray onto skin or hair ends and massage in.",
        ),
        price_cents: 2900,
        net_quantity: 100,
        net_unit: "ml",
        stock: 0,
        lead_time_days: 10,
        subscription_months: "",
        featured: false,
    },
];
