"""The sandbox's S3: the world's objects, byte for byte, behind any credentials."""

from __future__ import annotations

import hashlib
import secrets

import boto3
import pytest

from multinational_assets.sandbox import s3

WORLD_OBJECTS = ("products.csv", "card_details.pdf", "date_details.json")


@pytest.mark.parametrize("key", WORLD_OBJECTS)
def test_objects_are_byte_identical_to_the_world(sandbox, key):
    client = sandbox.s3_client()
    obj = client.get_object(Bucket="data-handling-public", Key=key)
    served = obj["Body"].read()
    expected = (sandbox.world / "s3" / key).read_bytes()
    assert served == expected
    assert obj["ContentLength"] == len(expected)
    assert obj["ETag"].strip('"') == hashlib.md5(expected).hexdigest()  # one PUT, so the ETag is the MD5


def test_bucket_lists_the_world(sandbox):
    listed = s3.list_objects(sandbox.s3_client(), sandbox.bucket)
    expected = {p.relative_to(sandbox.world / "s3").as_posix(): p.stat().st_size
                for p in (sandbox.world / "s3").rglob("*") if p.is_file()}
    assert listed == expected
    assert set(WORLD_OBJECTS) <= set(listed)


def test_any_credentials_work(sandbox):
    client = boto3.client(
        "s3",
        endpoint_url=sandbox.s3_endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=secrets.token_hex(8),
        aws_secret_access_key=secrets.token_hex(16),
    )
    head = client.head_object(Bucket="data-handling-public", Key="products.csv")
    assert head["ContentLength"] == (sandbox.world / "s3" / "products.csv").stat().st_size


def test_the_source_bucket_resource_reads_the_sandbox_by_default(sandbox):
    """What the pipeline does: its dagster-aws S3 resource with nothing set reads the sandbox."""
    from multinational_assets.defs.resources import SourceBucket

    bucket = SourceBucket()
    assert bucket.get_client().meta.endpoint_url == sandbox.s3_endpoint_url
    body, facts = bucket.get_object(bucket.key_of("DATE_DETAILS_KEY"))
    assert body == (sandbox.world / "s3" / "date_details.json").read_bytes()
    assert facts["bytes"] == len(body)
