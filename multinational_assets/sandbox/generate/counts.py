"""How big the world is: every figure of source-world.md at scale 1, and the rule that scales them.

Every count is multiplied by the scale and rounded half up, at least 1 where the scale-1 count is
non-zero (`scaled`); splits are scaled part by part and fitted to their table's total (`fit_split`),
so at scale 1 every figure is exact.
"""

from __future__ import annotations

import math

from multinational_assets.sandbox.pdf import ROWS_PER_PAGE

MIN_SCALE = 0.02

# Every figure of source-world.md at scale 1.
SCALE1 = {
    "users": {
        "countries": {"GB": 9371, "DE": 4708, "US": 1205},
        "null": 21, "garbage": 15,
        "odd_date_of_birth": 27, "odd_join_date": 23, "country_code_GGB": 6,
        "email_double_at": 42, "join_before_birth": 740,
    },
    "orders": {"rows": 120123, "named": 15000, "web_share": 0.22},
    "cards": {
        "providers": {
            "VISA 16 digit": 2426, "JCB 16 digit": 2403, "VISA 13 digit": 1382,
            "JCB 15 digit": 1363, "VISA 19 digit": 1349, "Diners Club / Carte Blanche": 1312,
            "American Express": 1297, "Maestro": 1281, "Discover": 1260, "Mastercard": 1211,
        },
        "null": 11, "garbage": 14, "question_prefix": 26, "odd_date_payment_confirmed": 8,
        # Share of Maestro numbers by length (our choice; the source only says 12, 11 or 9 digits).
        "maestro_lengths": {12: 897, 11: 320, 9: 64},
    },
    "stores": {
        "countries": {"GB": 265, "DE": 141, "US": 34},
        "types": {"Local": 255, "Super Store": 89, "Mall Kiosk": 51, "Outlet": 45},
        "null": 3, "garbage": 7,
        "staff_letter": 5, "odd_opening_date": 12, "continent_ee": 26,
        "top_localities": (14, 13, 12, 11, 10, 10, 10),
    },
    "products": {
        "categories": {
            "homeware": 1138, "toys-and-games": 257, "food-and-drink": 250, "pets": 93,
            "sports-and-leisure": 40, "health-and-beauty": 40, "diy": 28,
        },
        "weight_forms": {
            "kg_decimal": 852, "g_whole": 835, "kg_whole": 102, "multipack": 28,
            "g_decimal": 18, "ml": 9, "g_dot": 1, "oz": 1,
        },
        "removed": {"Still_avaliable": 1752, "Removed": 94},
        "null": 4, "garbage": 3, "odd_date_added": 2,
        # Traps among the whole-kg weights: one 1,160 kg product and a few of exactly 2 kg.
        "kg_1160": 1, "kg_2": 6, "duplicate_names": 40,
    },
    "dates": {"null": 15, "garbage": 23},
    # The decoy table: an old copy holding most physical stores plus some long closed ones.
    "decoy": {"kept_share": 0.85, "closed": 56},
}


def scaled(count: int, scale: float) -> int:
    """`count` (a scale-1 figure) at `scale`: rounded half up, at least 1 where `count` > 0."""
    if count <= 0:
        return 0
    return max(1, int(math.floor(count * scale + 0.5)))


def fit_split(parts: dict, total: int, scale: float) -> dict:
    """Scale each part of a split, then move the rounding difference onto the largest parts so the
    parts sum to `total`. At scale 1, with `total` the sum of the parts, nothing moves."""
    counts = {key: scaled(value, scale) for key, value in parts.items()}
    diff = total - sum(counts.values())
    order = sorted(counts, key=lambda key: (-counts[key], list(parts).index(key)))
    i = 0
    while diff != 0:
        key = order[i % len(order)]
        step = 1 if diff > 0 else -1
        if counts[key] + step >= 1:
            counts[key] += step
            diff -= step
        i += 1
        if i > 100 * len(order):
            raise ValueError(f"cannot fit split {parts} to {total}")
    return counts


def plan_counts(scale: float) -> dict:
    """Every count of the world at `scale` (the manifest's "counts" without the file-derived ones)."""
    s = scale
    u, o, c, st, p, d = (SCALE1[k] for k in ("users", "orders", "cards", "stores", "products",
                                             "dates"))
    users_by_country = {k: scaled(v, s) for k, v in u["countries"].items()}
    n_users = sum(users_by_country.values())
    stores_by_country = {k: scaled(v, s) for k, v in st["countries"].items()}
    n_physical = sum(stores_by_country.values())
    n_products = scaled(sum(p["categories"].values()), s)
    n_orders = scaled(o["rows"], s)
    providers = fit_split(c["providers"], n_users, s)
    plan = {
        "legacy_users": {
            "valid": n_users, "null": scaled(u["null"], s), "garbage": scaled(u["garbage"], s),
            "by_country": users_by_country,
            "dirt": {k: scaled(u[k], s) for k in ("odd_date_of_birth", "odd_join_date",
                                                   "country_code_GGB", "email_double_at")},
            "join_before_birth": scaled(u["join_before_birth"], s),
        },
        "orders_table": {
            "valid": n_orders, "null": 0, "garbage": 0,
            "named": min(scaled(o["named"], s), n_orders),
            "web": int(math.floor(n_orders * o["web_share"] + 0.5)),
        },
        "card_details": {
            "valid": n_users, "null": scaled(c["null"], s), "garbage": scaled(c["garbage"], s),
            "by_provider": providers,
            "maestro_lengths": fit_split(c["maestro_lengths"], providers["Maestro"], s),
            "dirt": {k: scaled(c[k], s) for k in ("question_prefix",
                                                   "odd_date_payment_confirmed")},
        },
        "store_details": {
            "valid": n_physical + 1, "null": scaled(st["null"], s),
            "garbage": scaled(st["garbage"], s),
            "web": 1,
            "physical_by_country": stores_by_country,
            "physical_by_type": fit_split(st["types"], n_physical, s),
            "top_localities": [scaled(v, s) for v in st["top_localities"]],
            "dirt": {k: scaled(st[k], s) for k in ("staff_letter", "odd_opening_date",
                                                    "continent_ee")},
        },
        "products": {
            "valid": n_products, "null": scaled(p["null"], s), "garbage": scaled(p["garbage"], s),
            "by_category": fit_split(p["categories"], n_products, s),
            "by_weight_form": fit_split(p["weight_forms"], n_products, s),
            "by_removed": fit_split(p["removed"], n_products, s),
            "kg_1160": scaled(p["kg_1160"], s), "kg_2": scaled(p["kg_2"], s),
            "dirt": {"odd_date_added": scaled(p["odd_date_added"], s)},
        },
        "date_details": {
            "valid": n_orders, "null": scaled(d["null"], s), "garbage": scaled(d["garbage"], s),
        },
    }
    for counts in plan.values():
        counts["rows"] = counts["valid"] + counts["null"] + counts["garbage"]
    plan["card_details"]["pages"] = max(1, math.ceil(plan["card_details"]["rows"] / ROWS_PER_PAGE))
    return plan
