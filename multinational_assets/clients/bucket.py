"""The S3 bucket that holds products.csv, card_details.pdf and date_details.json."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from dagster_aws.s3.utils import construct_s3_client

from multinational_assets.clients import SourceUnavailable


class ObjectTooLarge(SourceUnavailable):
    """An object larger than its source's limit (a setting)."""


class SourceChanged(SourceUnavailable):
    """The object is no longer the version the run was asked to read."""


def _precondition_failed(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    return response.get("Error", {}).get("Code") in ("PreconditionFailed", "412") or (
        response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 412
    )


def _current_etag(client, bucket: str, key: str) -> str:
    try:
        return client.head_object(Bucket=bucket, Key=key).get("ETag", "").strip('"') or "(none)"
    except Exception:  # noqa: BLE001 - only for the message
        return "(unknown: the object could not be read)"


@dataclass(frozen=True)
class Bucket:
    """One S3 bucket, reached with `client` (a boto3 S3 client)."""

    client: object
    name: str

    def get_object(
        self, key: str, max_bytes: int | None = None, limit_name: str = "the limit", if_match: str | None = None
    ) -> tuple[bytes, dict]:
        """The object's bytes and facts about it (key, ETag, size, endpoint).

        A key ending in `/` names a drop folder: the newest object under that prefix is read. An object
        larger than `max_bytes` (`limit_name` says which setting) is refused, having read at most
        `max_bytes + 1` of its bytes. With `if_match`, only that version (ETag) is read: another one
        fails naming both ETags (`SourceChanged`)."""
        client, bucket = self.client, self.name
        if key.endswith("/"):
            newest = newest_object(client, bucket, key)
            if newest is None:
                raise SourceUnavailable(f"s3://{bucket}/{key} holds no object.")
            key = newest["Key"]
        try:
            response = client.get_object(Bucket=bucket, Key=key, **({"IfMatch": f'"{if_match}"'} if if_match else {}))
            size = response.get("ContentLength")
            if max_bytes is not None and size is not None and size > max_bytes:
                response["Body"].close()
                raise ObjectTooLarge(f"s3://{bucket}/{key} is {size:,} bytes, more than {limit_name} ({max_bytes:,}).")
            body = response["Body"].read(None if max_bytes is None else max_bytes + 1)
            if max_bytes is not None and len(body) > max_bytes:
                response["Body"].close()
                raise ObjectTooLarge(f"s3://{bucket}/{key} is more than {limit_name} ({max_bytes:,} bytes).")
        except ObjectTooLarge:
            raise
        except client.exceptions.NoSuchKey:
            if if_match:
                raise SourceChanged(
                    f"s3://{bucket}/{key} was deleted after the run was requested for its ETag {if_match}; nothing was read."
                ) from None
            raise SourceUnavailable(f"s3://{bucket}/{key} does not exist.") from None
        except Exception as error:  # botocore raises many kinds; the message is what matters
            if if_match and _precondition_failed(error):
                now = _current_etag(client, bucket, key)
                raise SourceChanged(
                    f"s3://{bucket}/{key} changed after the run was requested: the run is for ETag {if_match}, the "
                    f"bucket now holds ETag {now}. Nothing was read; the sensor's next tick asks for a run of the "
                    "newer version."
                ) from None
            raise SourceUnavailable(f"Cannot read s3://{bucket}/{key}: {error}") from None
        return body, {
            "source": f"s3://{bucket}/{key}",
            "etag": response.get("ETag", "").strip('"'),
            "bytes": len(body),
            "endpoint": client.meta.endpoint_url,
        }


@functools.lru_cache(maxsize=8)
def s3_client(**options):
    """One boto3 client per configuration, shared by every read (boto3 clients are thread-safe):
    building one costs about half a second of CPU, paid on the raw step's critical path otherwise."""
    return construct_s3_client(**options)


def newest_object(client, bucket: str, prefix: str) -> dict | None:
    """The most recently modified object under `prefix` (every page listed; on a tie of
    LastModified, whose resolution is one second, the greatest key wins), or None."""
    from dagster_aws.s3.sensor import get_objects  # noqa: PLC0415 - paginates list_objects_v2

    objects = [o for o in get_objects(bucket, prefix=prefix, client=client) if not o["Key"].endswith("/")]
    return max(objects, key=lambda o: (o["LastModified"], o["Key"])) if objects else None
