"""A sensor that refreshes the warehouse when a source file in S3 changes.

The three watched files (products.csv, card_details.pdf, date_details.json) are known by their exact
keys, so each tick asks S3 for just those three objects (HEAD, in parallel): three requests whatever
else the bucket holds, so a bucket of millions of keys costs what an empty one does, and nothing is
lost to list pagination (1,000 keys a page) or to LastModified's one-second resolution.

A source's key setting may instead name a drop folder (`PRODUCTS_KEY=incoming/products/`, ending in
`/`): then every page under that prefix is listed and its newest object is the source's current
version, which is also what the raw asset reads. A new object appearing there triggers the run.

The cursor remembers each watched key's ETag as last seen. A different ETag is a new version: the
sensor asks for one run of the raw assets that read the changed files and everything downstream of
them, and nothing else: several files changed before a tick (a whole new delivery) are one run, which
rebuilds the star once. The run key carries each changed key, its ETag and its LastModified, so a
retried tick never starts a version's run twice, while putting back an earlier version (same ETag,
later upload) still starts a run. The run reads exactly the versions the sensor saw (their keys and
ETags are run tags, read with If-Match): a file replaced again before the run reads it fails the run,
naming both ETags, and the next tick asks for a run of the newer version.

Without a cursor (the sensor's first tick, or a cursor reset in the UI), the sensor takes each file's
baseline from the ETag that the raw asset's last materialisation recorded: a file that changed while
no sensor was watching still triggers a run. A file whose raw asset was never materialised is watched
from its current version on (building the warehouse the first time is "Materialize all", `make demo`
or the daily schedule; a partial run of one source into an empty warehouse cannot build the star).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from botocore.exceptions import ClientError
from dagster import (
    AssetKey,
    AssetObservation,
    AssetSelection,
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from multinational_assets.clients.bucket import newest_object
from multinational_assets.defs.raw.assets import raw_key
from multinational_assets.defs.resources import SourceBucket
from multinational_assets.defs.sources.assets import origin_key
from multinational_assets.settings import SETTINGS, setting
from multinational_assets.sources import SOURCES
from multinational_assets.sources.source import pinned_version_tag

SENSOR_NAME = "s3_source_files"
INTERVAL_VARIABLE = "MULTINATIONAL_SENSOR_INTERVAL_SECONDS"
DEFAULT_INTERVAL_SECONDS = int(SETTINGS[INTERVAL_VARIABLE].default)
# Dagster abandons a tick after 60 s; S3 calls that hang give up well before that, and the next tick
# tries again with the cursor unchanged.
S3_DEADLINE_SECONDS = 40.0


def sensor_interval_seconds() -> int:
    """The least number of seconds between two ticks: `MULTINATIONAL_SENSOR_INTERVAL_SECONDS`, else 30.
    Read when the definitions load (the daemon's code server), since Dagster fixes it at definition."""
    raw = setting(INTERVAL_VARIABLE)
    try:
        seconds = int(raw)
    except ValueError:
        raise ValueError(f"{INTERVAL_VARIABLE}={raw!r} is not a whole number of seconds") from None
    if seconds < 1:
        raise ValueError(f"{INTERVAL_VARIABLE}={seconds} must be at least 1")
    return seconds


@dataclass(frozen=True)
class Watched:
    """One source file in S3: the raw asset that reads it, its external asset, and the setting that
    says where it is."""

    raw: AssetKey
    origin: AssetKey
    key_setting: str


def watched_sources(bucket: SourceBucket) -> dict[str, Watched]:
    """S3 key (or drop folder) → the assets of the source that lives there: every source whose origin
    is an S3 object, from the sources' registry."""
    return {
        bucket.key_of(source.origin.s3_key_setting): Watched(
            raw_key(source), origin_key(source), source.origin.s3_key_setting
        )
        for source in SOURCES
        if source.origin.s3_key_setting
    }


@dataclass(frozen=True)
class ObjectVersion:
    """One version of an S3 object, as HEAD reports it."""

    key: str
    etag: str
    last_modified: dt.datetime | None

    @property
    def run_key(self) -> str:
        stamp = self.last_modified.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ") if self.last_modified else "-"
        return f"{self.key}@{self.etag}@{stamp}"


def current_versions(
    client, bucket: str, keys: list[str], deadline: float = S3_DEADLINE_SECONDS
) -> dict[str, ObjectVersion | None]:
    """Each key's current version (None when the object does not exist), asked for in parallel.
    Raises TimeoutError when S3 has not answered them all within `deadline` seconds."""

    def head(key: str) -> ObjectVersion | None:
        if key.endswith("/"):
            # A drop folder: its newest object is the source's current version.
            newest = newest_object(client, bucket, key)
            if newest is None:
                return None
            return ObjectVersion(newest["Key"], str(newest.get("ETag", "")).strip('"'), newest.get("LastModified"))
        try:
            response = client.head_object(Bucket=bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return ObjectVersion(key, str(response.get("ETag", "")).strip('"'), response.get("LastModified"))

    pool = ThreadPoolExecutor(max_workers=max(1, len(keys)), thread_name_prefix="s3-sensor")
    try:
        futures = {key: pool.submit(head, key) for key in keys}
        started = time.monotonic()
        result = {}
        for key, future in futures.items():
            try:
                result[key] = future.result(timeout=max(0.0, deadline - (time.monotonic() - started)))
            except FutureTimeout:
                raise TimeoutError(f"S3 did not answer HEAD s3://{bucket}/{key} within {deadline:.0f} s") from None
        return result
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def materialized_etag(context: SensorEvaluationContext, asset_key: AssetKey) -> str | None:
    """The ETag that the asset's latest materialisation recorded in its metadata, if any."""
    try:
        event = context.instance.get_latest_materialization_event(asset_key)
    except Exception:  # noqa: BLE001 - no instance (a bare test context) means no history
        return None
    materialization = event.asset_materialization if event else None
    value = materialization.metadata.get("etag") if materialization else None
    return str(value.value) if value is not None else None


def downstream_selection(context: SensorEvaluationContext, *asset_keys: AssetKey) -> list[AssetKey]:
    """The assets and everything downstream of them, sorted; with the star, all its tables (they are
    built and swapped in together)."""
    selection = AssetSelection.assets(*asset_keys).downstream().required_multi_asset_neighbors()
    keys = selection.resolve(context.repository_def.asset_graph)
    return sorted(keys, key=lambda k: k.to_user_string())


def new_versions_run(context: SensorEvaluationContext, bucket: str, changed: list[tuple[Watched, ObjectVersion]]) -> RunRequest:
    """One run of the raw assets that read the changed files and everything downstream, pinned to the
    versions seen: each file's key and ETag is a run tag the raw asset reads with If-Match."""
    selection = downstream_selection(context, *(assets.raw for assets, _ in changed))
    tags = {
        "source_object": ", ".join(f"s3://{bucket}/{version.key}" for _, version in changed),
        "source_etag": ", ".join(version.etag for _, version in changed),
    }
    for assets, version in changed:
        tags.update(pinned_version_tag(assets.key_setting, version.key, version.etag))
    raws = ", ".join(assets.raw.to_user_string() for assets, _ in changed)
    context.log.info(f"requesting one run of {raws} and {len(selection) - len(changed)} assets downstream")
    return RunRequest(run_key="+".join(version.run_key for _, version in changed), asset_selection=selection, tags=tags)


@sensor(
    name=SENSOR_NAME,
    target=AssetSelection.all(),
    minimum_interval_seconds=sensor_interval_seconds(),
    default_status=DefaultSensorStatus.RUNNING,
    description=(
        "Refreshes the warehouse from a source file in S3 (products.csv, card_details.pdf, date_details.json) "
        "whenever a new version of it is uploaded: one run of the raw asset that reads it and everything "
        f"downstream. Interval: {INTERVAL_VARIABLE} (default {DEFAULT_INTERVAL_SECONDS} s)."
    ),
)
def s3_source_files(context: SensorEvaluationContext, source_bucket: SourceBucket) -> SensorResult:
    started = time.perf_counter()
    watched = watched_sources(source_bucket)
    bucket = source_bucket.bucket_name()
    versions = current_versions(source_bucket.get_client(), bucket, list(watched))
    cursor: dict[str, str] = json.loads(context.cursor) if context.cursor else {}

    changed, observations, baselined, missing = [], [], [], []
    for key, assets in watched.items():
        asset_key = assets.raw
        version = versions[key]
        if version is None:
            missing.append(key)
            continue
        if key not in cursor:
            known = materialized_etag(context, asset_key)
            if known is None:
                # Never materialised: watch it from this version on.
                cursor[key] = version.etag
                baselined.append(key)
                continue
            cursor[key] = known
        if cursor[key] == version.etag:
            continue
        changed.append((assets, version))
        context.log.info(f"s3://{bucket}/{key} has a new version (ETag {version.etag}, was {cursor[key]})")
        observations.append(
            AssetObservation(
                asset_key=assets.origin,
                metadata={
                    "s3_object": f"s3://{bucket}/{version.key}",
                    "etag": version.etag,
                    "last_modified": str(version.last_modified),
                    "previous_etag": cursor[key],
                },
            )
        )
        cursor[key] = version.etag

    requests = [new_versions_run(context, bucket, changed)] if changed else []
    seconds = time.perf_counter() - started
    new_cursor = json.dumps(cursor, sort_keys=True)
    if requests:
        # The external assets record what the sensor saw: each new version, with its ETag.
        return SensorResult(run_requests=requests, asset_events=observations, cursor=new_cursor)
    notes = [f"no new version of {len(watched) - len(missing)} watched files in s3://{bucket} ({seconds:.2f} s)"]
    if baselined:
        notes.append(f"never materialised, watched from now on: {', '.join(baselined)}")
    if missing:
        notes.append(f"missing: {', '.join(missing)}")
    return SensorResult(skip_reason=SkipReason("; ".join(notes)), cursor=new_cursor)
