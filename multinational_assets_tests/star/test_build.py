"""The star schema against a real Postgres: types, keys and constraints as Postgres's catalog reports
them, re-runs that change nothing, and failures that name their rows and leave the old star alone."""

import psycopg
import pytest

from multinational_assets.star.build import build_star
from multinational_assets.star.problems import StarBuildError
from multinational_assets_tests.star_fixtures import (  # noqa: F401  (conn, database: fixtures)
    CLEAN_COLUMNS,
    EXPECTED_WEIGHT_CLASS,
    WEB,
    StandInWarehouse,
    conn,
    database,
    load_clean_tables,
    small_clean_tables,
    uuid_for,
)

STAR_TABLES = ["dim_users", "dim_card_details", "dim_store_details", "dim_products", "dim_date_times", "orders_table"]

# Star column types other than sized text ("varchar" here, its width checked against the data).
NON_TEXT_TYPES = {
    "dim_users": {"user_uuid": "uuid", "date_of_birth": "date", "join_date": "date"},
    "dim_card_details": {"date_payment_confirmed": "date"},
    "dim_store_details": {
        "longitude": "double precision",
        "latitude": "double precision",
        "staff_numbers": "smallint",
        "opening_date": "date",
    },
    "dim_products": {
        "product_price": "double precision",
        "weight": "double precision",
        "date_added": "date",
        "uuid": "uuid",
        "still_available": "boolean",
    },
    "dim_date_times": {
        "date_uuid": "uuid",
        "timestamp": "time without time zone",
        "month": "smallint",
        "year": "smallint",
        "day": "smallint",
    },
    "orders_table": {"date_uuid": "uuid", "user_uuid": "uuid", "product_quantity": "smallint"},
}


def catalog_types(conn, schema="star") -> dict[str, dict[str, str]]:
    rows = conn.execute(
        """
        SELECT table_name, column_name, data_type, character_maximum_length
        FROM information_schema.columns
        WHERE table_schema = %s
        ORDER BY table_name, ordinal_position
        """,
        [schema],
    ).fetchall()
    types: dict[str, dict[str, str]] = {}
    for table, column, data_type, width in rows:
        types.setdefault(table, {})[column] = f"varchar({width})" if data_type == "character varying" else data_type
    return types


def catalog_constraints(conn, kind: str, schema="star") -> set[tuple]:
    """(table, column[, referenced table, referenced column]) per key column, from pg_constraint."""
    rows = conn.execute(
        """
        SELECT t.relname, a.attname, rt.relname, ra.attname
        FROM pg_constraint AS c
        JOIN pg_namespace AS n ON n.oid = c.connamespace
        JOIN pg_class AS t ON t.oid = c.conrelid
        JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, i) ON true
        JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        LEFT JOIN pg_class AS rt ON rt.oid = c.confrelid
        LEFT JOIN pg_attribute AS ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[k.i]
        WHERE n.nspname = %s AND c.contype = %s
        """,
        [schema, kind],
    ).fetchall()
    return {tuple(v for v in row if v is not None) for row in rows}


def fingerprints(conn, schema="star") -> dict[str, tuple[int, str]]:
    """Row count and an order-independent md5 of every row's text, per star table."""
    out = {}
    for table in STAR_TABLES:
        out[table] = conn.execute(
            psycopg.sql.SQL("SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {}.{} AS t").format(
                psycopg.sql.Identifier(schema), psycopg.sql.Identifier(table)
            )
        ).fetchone()
    return out


def schemas(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'star%'")}


@pytest.fixture
def built(conn):
    """The small clean tables loaded and the star built from them once."""
    tables = small_clean_tables()
    load_clean_tables(conn, tables)
    report = build_star(conn)
    return conn, tables, report


def test_column_types_come_from_the_contract_and_the_data(built):
    conn, tables, _ = built
    types = catalog_types(conn)
    assert list(types) == sorted(STAR_TABLES)
    for table in STAR_TABLES:
        expected = {}
        for column in CLEAN_COLUMNS[table]:
            if column in NON_TEXT_TYPES[table]:
                expected[column] = NON_TEXT_TYPES[table][column]
            else:
                # VARCHAR sized to the longest value in the clean data (characters, not bytes).
                expected[column] = f"varchar({tables[table][column].dropna().str.len().max()})"
        if table != "orders_table":
            expected["is_inferred"] = "boolean"
        if table == "dim_products":
            expected["weight_class"] = "varchar(14)"
        assert types[table] == expected, table
    # A few widths worked out by hand from the small data.
    assert types["dim_card_details"]["card_number"] == "varchar(19)"
    assert types["orders_table"]["card_number"] == "varchar(19)"
    assert types["dim_store_details"]["store_code"] == "varchar(12)"  # WEB-1388012W
    assert types["dim_store_details"]["country_code"] == "varchar(2)"
    assert types["dim_products"]["ean"] == "varchar(17)"
    assert types["dim_card_details"]["expiry_date"] == "varchar(5)"


def test_primary_keys_on_the_five_dimensions(built):
    conn, _, _ = built
    assert catalog_constraints(conn, "p") == {
        ("dim_users", "user_uuid"),
        ("dim_card_details", "card_number"),
        ("dim_store_details", "store_code"),
        ("dim_products", "product_code"),
        ("dim_date_times", "date_uuid"),
    }


def test_foreign_keys_from_orders_to_every_dimension(built):
    conn, _, _ = built
    assert catalog_constraints(conn, "f") == {
        ("orders_table", "date_uuid", "dim_date_times", "date_uuid"),
        ("orders_table", "user_uuid", "dim_users", "user_uuid"),
        ("orders_table", "card_number", "dim_card_details", "card_number"),
        ("orders_table", "store_code", "dim_store_details", "store_code"),
        ("orders_table", "product_code", "dim_products", "product_code"),
    }
    # And Postgres enforces them.
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        conn.execute(
            "INSERT INTO star.orders_table VALUES (%s, %s, %s, 'XX-DEADBEEF', 'A1-1999', 1)",
            [uuid_for(2, 0), uuid_for(1, 1), "4123456789012"],
        )


def test_values_survive_typed(built):
    conn, tables, _ = built
    web = conn.execute(
        "SELECT store_type, locality, longitude, latitude, staff_numbers FROM star.dim_store_details WHERE store_code = %s",
        [WEB],
    ).fetchone()
    assert web == ("Web Portal", None, None, None, 300)
    assert conn.execute("SELECT address FROM star.dim_users WHERE first_name = 'Klaus-D.'").fetchone()[0] == (
        "Hauptstr. 1\n35390 Gießen"
    )
    cards = {r[0] for r in conn.execute("SELECT card_number FROM star.dim_card_details")}
    assert cards == set(tables["dim_card_details"]["card_number"])
    last_of_2020 = conn.execute(
        "SELECT timestamp::text, day FROM star.dim_date_times WHERE year = 2020 AND month = 12"
    ).fetchone()
    assert last_of_2020 == ("23:59:59", 31)


def test_weight_class_boundaries(built):
    conn, _, _ = built
    rows = dict(conn.execute("SELECT product_code, weight_class FROM star.dim_products").fetchall())
    assert rows == EXPECTED_WEIGHT_CLASS  # 1.999, 2, 39.99, 40, 139.9, 140, 1160 kg


def test_report_matches_the_catalog(built):
    conn, tables, report = built
    assert report["schema"] == "star"
    assert report["tables"] == STAR_TABLES
    assert report["rows"] == {t: len(tables[t]) for t in STAR_TABLES}
    assert report["column_types"]["dim_store_details"]["store_code"] == "character varying(12)"
    assert report["column_types"]["dim_date_times"]["month"] == "smallint"
    assert list(report["column_types"]["dim_products"]) == [*CLEAN_COLUMNS["dim_products"], "is_inferred", "weight_class"]
    assert report["inferred_members"] == {t: 0 for t in STAR_TABLES if t != "orders_table"}
    assert report["seconds"] >= 0


def test_rebuilding_gives_the_same_star(built):
    conn, _, _ = built
    before = (fingerprints(conn), catalog_types(conn), catalog_constraints(conn, "p"), catalog_constraints(conn, "f"))
    for _ in range(2):
        build_star(conn)
    after = (fingerprints(conn), catalog_types(conn), catalog_constraints(conn, "p"), catalog_constraints(conn, "f"))
    assert after == before
    assert schemas(conn) == {"star"}  # no staging or retired schema left behind


def test_rebuild_picks_up_new_clean_data_and_new_widths(built):
    conn, tables, _ = built
    tables["dim_users"].loc[0, "first_name"] = "Maximilian-Alexander"
    load_clean_tables(conn, tables)
    build_star(conn)
    assert catalog_types(conn)["dim_users"]["first_name"] == "varchar(20)"


def _add_orphan_order(conn, store_code="XX-DEADBEEF", product_code="A1-1999", n=100):
    """An order (with its own date row, so only the named key is orphaned)."""
    date_uuid = uuid_for(2, n)
    conn.execute(
        "INSERT INTO clean.dim_date_times VALUES (%s, '12:00:00', 1, 2023, 1, 'Midday')", [date_uuid]
    )
    conn.execute(
        "INSERT INTO clean.orders_table VALUES (%s, %s, %s, %s, %s, 1)",
        [date_uuid, uuid_for(1, 1), "4123456789012", store_code, product_code],
    )


def test_an_orphan_order_gets_an_inferred_member_until_its_row_arrives(built):
    conn, tables, _ = built
    _add_orphan_order(conn)
    conn.execute("CREATE SCHEMA quarantine")
    conn.execute("CREATE TABLE quarantine.dim_store_details (reasons text, row_key text)")
    conn.execute("INSERT INTO quarantine.dim_store_details VALUES ('garbage row: ...', 'XX-DEADBEEF')")
    report = build_star(conn)
    assert report["inferred_members"]["dim_store_details"] == 1
    assert report["inferred_examples"] == {"dim_store_details": [("XX-DEADBEEF", 1, "garbage row: ...")]}
    assert report["rows"]["orders_table"] == len(tables["orders_table"]) + 1  # the order is kept
    inferred = conn.execute(
        "SELECT store_code, store_type, address, staff_numbers, is_inferred FROM star.dim_store_details WHERE is_inferred"
    ).fetchall()
    assert inferred == [("XX-DEADBEEF", None, None, None, True)]
    assert conn.execute("SELECT count(*) FROM star.dim_store_details WHERE NOT is_inferred").fetchone()[0] == 12
    # The store's row arrives: the next build has the real row instead.
    conn.execute(
        "INSERT INTO clean.dim_store_details (store_code, store_type, staff_numbers, country_code) "
        "VALUES ('XX-DEADBEEF', 'Local', 5, 'GB')"
    )
    report = build_star(conn)
    assert report["inferred_members"]["dim_store_details"] == 0 and report["inferred_examples"] == {}
    assert conn.execute(
        "SELECT store_type, is_inferred FROM star.dim_store_details WHERE store_code = 'XX-DEADBEEF'"
    ).fetchone() == ("Local", False)


def test_an_inferred_key_longer_than_its_dimensions_keys_fits(built):
    conn, _, _ = built
    _add_orphan_order(conn, store_code="XX-0123456789ABCDEF")
    build_star(conn)
    assert catalog_types(conn)["dim_store_details"]["store_code"] == "varchar(19)"
    assert catalog_types(conn)["orders_table"]["store_code"] == "varchar(19)"


def test_an_order_with_an_unreadable_reference_is_kept_without_it(built):
    conn, tables, _ = built
    conn.execute("UPDATE clean.orders_table SET product_code = NULL WHERE date_uuid = %s", [uuid_for(2, 3)])
    report = build_star(conn)
    assert report["rows"]["orders_table"] == len(tables["orders_table"])
    assert report["inferred_members"]["dim_products"] == 0


def test_strict_mode_an_orphan_order_fails_the_build_names_the_key_and_keeps_the_old_star(built):
    conn, _, _ = built
    before = fingerprints(conn)
    _add_orphan_order(conn)
    with pytest.raises(StarBuildError) as failure:
        build_star(conn, strict=True)
    message = str(failure.value)
    assert "orders_table.store_code has 1 value with no row in dim_store_details: 'XX-DEADBEEF'" in message
    assert "previous one is unchanged" in message
    assert len(failure.value.problems) == 1  # the date row exists, so only the store is orphaned
    assert fingerprints(conn) == before
    assert schemas(conn) == {"star"}
    assert len(catalog_constraints(conn, "f")) == 5


def test_strict_mode_many_orphans_are_counted_and_the_first_ten_listed(built):
    conn, _, _ = built
    for n in range(12):
        _add_orphan_order(conn, store_code="LO-1A2B3C4D", product_code=f"ZZ-{n:02d}", n=200 + n)
    with pytest.raises(StarBuildError) as failure:
        build_star(conn, strict=True)
    (problem,) = failure.value.problems
    assert problem.startswith("orders_table.product_code has 12 values with no row in dim_products: 'ZZ-00' (1 row)")
    assert problem.endswith("'ZZ-09' (1 row) and 2 more")


def test_a_bad_uuid_fails_the_build_naming_the_row(built):
    conn, _, _ = built
    before = fingerprints(conn)
    conn.execute("UPDATE clean.dim_products SET uuid = 'not-a-uuid' WHERE product_code = 'C3-3999'")
    with pytest.raises(StarBuildError) as failure:
        build_star(conn)
    assert failure.value.problems == [
        "dim_products.uuid has 1 value that is not a valid uuid: 'not-a-uuid' (product_code 'C3-3999')"
    ]
    assert fingerprints(conn) == before
    assert schemas(conn) == {"star"}


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (
            "UPDATE clean.dim_store_details SET staff_numbers = 70000 WHERE store_code = 'LO-1A2B3C4D'",
            "dim_store_details.staff_numbers has 1 value that is not a valid smallint: '70000' (store_code 'LO-1A2B3C4D')",
        ),
        (
            "UPDATE clean.dim_products SET product_code = NULL WHERE product_code = 'C3-3999'",
            "dim_products.product_code has 1 row with no value",
        ),
        (
            "INSERT INTO clean.dim_products (product_code, product_price, weight) VALUES ('A1-1999', 1, 1)",
            "dim_products.product_code has 1 value on more than one row: 'A1-1999' (2 rows)",
        ),
    ],
    ids=["out_of_range_number", "missing_key", "duplicate_dimension_key"],
)
def test_a_value_the_star_cannot_hold_fails_the_build_naming_it(built, damage, problem):
    conn, _, _ = built
    conn.execute(damage)
    with pytest.raises(StarBuildError) as failure:
        build_star(conn)
    assert failure.value.problems == [problem]


def test_a_failed_first_build_leaves_no_star(conn):
    tables = small_clean_tables()
    tables["orders_table"].loc[0, "store_code"] = "XX-DEADBEEF"
    load_clean_tables(conn, tables)
    with pytest.raises(StarBuildError, match="'XX-DEADBEEF'"):
        build_star(conn, strict=True)
    assert schemas(conn) == set()


def test_build_into_other_schemas(conn):
    load_clean_tables(conn, small_clean_tables(), schema="clean_copy")
    report = build_star(conn, source_schema="clean_copy", target_schema="star_b")
    assert report["schema"] == "star_b"
    assert len(catalog_constraints(conn, "f", schema="star_b")) == 5
    assert schemas(conn) == {"star_b"}
