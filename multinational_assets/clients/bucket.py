"""The S3 bucket that holds products.csv, card_details.pdf and date_details.json."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from dagster_aws.s3.utils import construct_s3_client

from multinational_assets.clients import SourceUnavailable


@dataclass(frozen=True)
class Bucket:
    """One S3 bucket, reached with `client` (a boto3 S3 client)."""

    client: object
    name: str

    def get_object(self, key: str) -> tuple[bytes, dict]:
        """The object's bytes and facts about it (key, ETag, size, endpoint).

        A key ending in `/` names a drop folder: the newest object under that prefix is read."""
        client, bucket = self.client, self.name
        if key.endswith("/"):
            newest = newest_object(client, bucket, key)
            if newest is None:
                raise SourceUnavailable(f"s3://{bucket}/{key} holds no object.")
            key = newest["Key"]
        try:
            response = client.get_object(Bucket=bucket, Key=key)
            body = response["Body"].read()
        except client.exceptions.NoSuchKey:
            raise SourceUnavailable(f"s3://{bucket}/{key} does not exist.") from None
        except Exception as error:  # botocore raises many kinds; the message is what matters
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
