"""A sensor that refreshes the warehouse when a source file in S3 changes.

It lists the bucket (every page, so keys beyond the first 1,000 are seen) and compares each watched
object's ETag with the one it saw last. A new ETag means a new version: the sensor asks for one run of
the raw asset that reads that file and everything downstream of it. ETags, not LastModified, decide,
so two uploads within the same second are both seen; the run key carries the ETag, so one version
never triggers two runs.
"""

from __future__ import annotations

import json

from dagster import AssetKey, AssetSelection, DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor
from dagster_aws.s3.sensor import get_objects

from multinational_assets.resources import SourceBucket
from multinational_assets.settings import load_settings


def watched_sources() -> dict[str, AssetKey]:
    """S3 key → the raw asset that reads it."""
    s = load_settings()
    return {
        s.products_key: AssetKey(["raw", "products"]),
        s.card_details_key: AssetKey(["raw", "card_details"]),
        s.date_details_key: AssetKey(["raw", "date_details"]),
    }


def new_versions(objects: list[dict], cursor: dict[str, str], watched: dict[str, AssetKey]) -> dict[str, str]:
    """The watched keys whose ETag differs from the cursor's: key → new ETag."""
    changed = {}
    for obj in objects:
        key = obj.get("Key")
        if key in watched:
            etag = str(obj.get("ETag", "")).strip('"')
            if cursor.get(key) != etag:
                changed[key] = etag
    return changed


@sensor(
    name="s3_source_files",
    target=AssetSelection.all(),
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Refreshes the warehouse from a source file in S3 whenever a new version of it is uploaded.",
)
def s3_source_files(context: SensorEvaluationContext, source_bucket: SourceBucket):
    watched = watched_sources()
    prefix = load_settings().s3_watch_prefix
    objects = get_objects(source_bucket.bucket_name(), prefix=prefix, client=source_bucket.get_client())
    cursor = json.loads(context.cursor) if context.cursor else {}
    changed = new_versions(objects, cursor, watched)
    if not changed:
        return SkipReason(f"No new version among {len(watched)} watched files ({len(objects)} objects listed).")
    graph = context.repository_def.asset_graph
    requests = []
    for key, etag in sorted(changed.items()):
        selection = AssetSelection.assets(watched[key]).downstream().resolve(graph)
        requests.append(
            RunRequest(
                run_key=f"{key}@{etag}",
                asset_selection=sorted(selection, key=lambda k: k.to_user_string()),
                tags={"source_object": key, "source_etag": etag},
            )
        )
        cursor[key] = etag
    context.update_cursor(json.dumps(cursor, sort_keys=True))
    return requests
