#!/usr/bin/env python3
"""Draws the demo store's product illustrations as small SVG files (public/img/products/).

The art is the project's own: flat packaging shapes on a soft background, coloured per product.
Run again after adding a product to the demo catalogue: python3 scripts/art/product_art.py
"""
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "public" / "img" / "products"

# slug: (shape, background, body, accent, label)
PRODUCTS = {
    "magnesium-marin-b6": ("jar", "#e6eef0", "#f7f3ea", "#3d6f82", "Mg B6"),
    "vitamine-d3-vegetale": ("dropper", "#f6ecd2", "#c98a2b", "#7a4e12", "D3"),
    "spiruline-bio": ("jar", "#dfeadf", "#f7f3ea", "#2f6b4a", "Spiruline"),
    "omega-3-marin": ("jar", "#e3e9f2", "#f7f3ea", "#2d4f7a", "Oméga-3"),
    "ashwagandha-bio": ("jar", "#f1e3d6", "#f7f3ea", "#9a5a2e", "Ashwa"),
    "melisse-camomille": ("jar", "#eef0da", "#f7f3ea", "#7d8a2e", "Mélisse"),
    "serum-eclat-vitamine-c": ("dropper", "#fbe6d4", "#e8893c", "#8a3f12", "Vit C"),
    "creme-hydratante-aloe": ("pot", "#e2efe6", "#ffffff", "#3f7d5b", "Aloe"),
    "huile-demaquillante": ("pump", "#f7efcf", "#e9cf6a", "#8a6d12", "Huile"),
    "baume-corps-karite": ("pot", "#f3e6da", "#fffaf2", "#a0683c", "Karité"),
    "gel-douche-surgras": ("tube", "#ece6f3", "#ffffff", "#6a558a", "Avoine"),
    "huile-seche-corps": ("spray", "#f5e1dc", "#d9a38f", "#8a4a3a", "Satin"),
    "fer-vitamine-c": ("jar", "#f4e0dc", "#f7f3ea", "#9b3b32", "Fer + C"),
    "passiflore-aubepine": ("jar", "#e9e4f1", "#f7f3ea", "#5e4a86", "Passiflore"),
    "safran-griffonia": ("jar", "#f8e6cf", "#f7f3ea", "#b5651d", "Safran"),
    "ferments-lactiques": ("jar", "#e4eef5", "#f7f3ea", "#2f6686", "Ferments"),
    "sirop-echinacee-propolis": ("bottle", "#f6ead0", "#b87a1e", "#6e4510", "Échinacée"),
    "curcuma-poivre-noir": ("jar", "#faebc8", "#f7f3ea", "#b7791f", "Curcuma"),
    "zinc-selenium": ("jar", "#e6ebee", "#f7f3ea", "#4a5d6b", "Zn Se"),
    "gel-nettoyant-doux": ("pump", "#e0f0ee", "#ffffff", "#2e7a70", "Gel doux"),
    "masque-argile-verte": ("pot", "#e3ecd9", "#cfdcb8", "#56703a", "Argile"),
    "savon-surgras-lavande": ("bar", "#ece4f4", "#d8c8ea", "#6b4f8f", "Lavande"),
    "shampooing-solide-ortie": ("bar", "#e1eedc", "#c8ddb9", "#46703a", "Ortie"),
    "huile-capillaire-ricin": ("dropper", "#f3ead6", "#d9b36a", "#7a5a1c", "Ricin"),
}


def leaf(x, y, colour, scale=1.0):
    s = scale
    return (
        f'<path d="M{x} {y}c{-14*s} 0 {-22*s} {-9*s} {-22*s} {-22*s} {13*s} 0 {22*s} {8*s} {22*s} {22*s}z" '
        f'fill="{colour}" opacity=".85"/>'
        f'<path d="M{x} {y}c0 {-13*s} {8*s} {-22*s} {22*s} {-22*s} 0 {12*s} {-8*s} {22*s} {-22*s} {22*s}z" '
        f'fill="{colour}" opacity=".55"/>'
    )


def label(cx, y, w, text, accent):
    return (
        f'<rect x="{cx - w/2}" y="{y}" width="{w}" height="62" rx="8" fill="#fffdf9" opacity=".92"/>'
        f'<text x="{cx}" y="{y + 39}" text-anchor="middle" font-family="Georgia, serif" '
        f'font-size="{20 if len(text) > 6 else 24}" font-weight="600" fill="{accent}">{text}</text>'
    )


def shape(kind, body, accent, text):
    if kind == "jar":
        return (
            f'<rect x="118" y="96" width="84" height="30" rx="6" fill="{accent}"/>'
            f'<rect x="96" y="122" width="128" height="150" rx="22" fill="{body}" stroke="{accent}" stroke-width="3"/>'
            + label(160, 164, 104, text, accent)
        )
    if kind == "dropper":
        return (
            f'<rect x="146" y="70" width="28" height="36" rx="12" fill="{accent}"/>'
            f'<rect x="138" y="102" width="44" height="26" rx="5" fill="{accent}" opacity=".9"/>'
            f'<path d="M116 150c0-14 10-24 24-24h40c14 0 24 10 24 24v108c0 9-7 16-16 16h-56c-9 0-16-7-16-16z" fill="{body}"/>'
            + label(160, 176, 80, text, accent)
        )
    if kind == "pot":
        return (
            f'<rect x="88" y="138" width="144" height="30" rx="10" fill="{accent}"/>'
            f'<path d="M94 166h132l-8 92c-1 9-8 16-17 16h-82c-9 0-16-7-17-16z" fill="{body}" stroke="{accent}" stroke-width="3"/>'
            + label(160, 190, 100, text, accent)
        )
    if kind == "pump":
        return (
            f'<path d="M150 70h44v12h-30v22h-14z" fill="{accent}"/>'
            f'<rect x="140" y="102" width="40" height="24" rx="5" fill="{accent}"/>'
            f'<rect x="110" y="124" width="100" height="150" rx="20" fill="{body}"/>'
            + label(160, 172, 84, text, accent)
        )
    if kind == "tube":
        return (
            f'<path d="M112 84h96l-10 160h-76z" fill="{body}" stroke="{accent}" stroke-width="3"/>'
            f'<rect x="136" y="244" width="48" height="30" rx="6" fill="{accent}"/>'
            + label(160, 126, 84, text, accent)
        )
    if kind == "spray":
        return (
            f'<rect x="140" y="80" width="40" height="30" rx="8" fill="{accent}"/>'
            f'<rect x="148" y="106" width="24" height="20" fill="{accent}" opacity=".8"/>'
            f'<rect x="114" y="124" width="92" height="150" rx="16" fill="{body}"/>'
            + label(160, 170, 80, text, accent)
        )
    if kind == "bar":
        return (
            f'<rect x="78" y="150" width="164" height="104" rx="34" fill="{body}" stroke="{accent}" stroke-width="3"/>'
            f'<ellipse cx="160" cy="202" rx="62" ry="30" fill="#fffdf9" opacity=".9"/>'
            f'<text x="160" y="210" text-anchor="middle" font-family="Georgia, serif" font-size="20" '
            f'font-weight="600" fill="{accent}">{text}</text>'
        )
    if kind == "bottle":
        return (
            f'<rect x="142" y="70" width="36" height="26" rx="5" fill="{accent}"/>'
            f'<path d="M146 96h28v26c22 8 34 24 34 44v92c0 9-7 16-16 16h-64c-9 0-16-7-16-16v-92c0-20 12-36 34-44z" fill="{body}"/>'
            + label(160, 178, 92, text, accent)
        )
    raise ValueError(kind)


def svg(kind, bg, body, accent, text):
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 320" width="320" height="320" role="img">'
        f'<rect width="320" height="320" fill="{bg}"/>'
        f'<circle cx="250" cy="70" r="56" fill="#ffffff" opacity=".45"/>'
        f'<ellipse cx="160" cy="282" rx="92" ry="10" fill="{accent}" opacity=".15"/>'
        + leaf(70, 270, accent, 1.4)
        + leaf(262, 250, accent, 1.0)
        + shape(kind, body, accent, text)
        + "</svg>\n"
    )


def scene(slug, bg, body, accent):
    """The second picture of a product: its texture as a swatch among its plants."""
    seed = sum(ord(c) for c in slug)
    leaves = "".join(
        leaf(40 + (seed * (i + 3) * 37) % 240, 80 + (seed * (i + 5) * 53) % 200, accent, 0.8 + ((seed + i) % 5) / 5)
        for i in range(6)
    )
    dots = "".join(
        f'<circle cx="{30 + (seed * (i + 7) * 29) % 260}" cy="{30 + (seed * (i + 11) * 31) % 260}" '
        f'r="{4 + (seed + i) % 7}" fill="{accent}" opacity=".35"/>'
        for i in range(9)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 320" width="320" height="320" role="img">'
        f'<rect width="320" height="320" fill="{bg}"/>'
        + dots
        + leaves
        + f'<path d="M104 168c0-40 28-66 60-66s58 22 58 58-26 62-62 62c-32 0-56-22-56-54z" fill="{body}" '
        f'stroke="{accent}" stroke-width="3"/>'
        f'<path d="M130 160c10-22 34-32 56-22" stroke="#ffffff" stroke-width="6" stroke-linecap="round" '
        'fill="none" opacity=".7"/>'
        "</svg>\n"
    )


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for slug, (kind, bg, body, accent, text) in PRODUCTS.items():
        (OUT / f"{slug}.svg").write_text(svg(kind, bg, body, accent, text), encoding="utf-8")
        (OUT / f"{slug}-texture.svg").write_text(scene(slug, bg, body, accent), encoding="utf-8")
    print(f"wrote {2 * len(PRODUCTS)} illustrations to {OUT}")


if __name__ == "__main__":
    main()
