"""The six sources as external assets: they are not materialised here, but every raw table's lineage
starts at one of them, and the S3 sensor records on them each new version it sees."""

from dagster import AssetKey, AssetSpec

from multinational_assets.sources import SOURCES


def origin_key(source) -> AssetKey:
    return AssetKey(list(source.origin.key))


source_assets = [
    AssetSpec(
        origin_key(source),
        description=source.origin.description,
        group_name="sources",
        kinds={source.origin.kind},
        metadata={"read_into": f"raw.{source.raw_table}"},
    )
    for source in SOURCES
]
