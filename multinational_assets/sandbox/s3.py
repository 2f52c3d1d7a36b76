"""The sandbox's S3: moto in server mode on 127.0.0.1, plus helpers to fill and read its bucket.

`python -m multinational_assets.sandbox.s3 --port N` runs the server in the foreground until SIGTERM;
`sandbox up` starts it as a detached process. moto keeps objects in memory, so `up` uploads the world's
`s3/` files after every start.
"""

from __future__ import annotations

import argparse
import mimetypes
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

from multinational_assets.sandbox.serving import wait_for_stop_signal

# moto accepts any credentials; these are what `sandbox env` exports.
SANDBOX_ACCESS_KEY = "sandbox"
SANDBOX_SECRET_KEY = "sandbox"
SANDBOX_REGION = "eu-west-1"


def s3_client(endpoint_url: str, region: str = SANDBOX_REGION) -> Any:
    """A boto3 S3 client for the sandbox endpoint (path-style addressing, sandbox credentials)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=SANDBOX_ACCESS_KEY,
        aws_secret_access_key=SANDBOX_SECRET_KEY,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
    )


def port_is_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def port_available(host: str, port: int) -> bool:
    """True when nothing listens on host:port (binds the way the servers do, with SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def wait_until_ready(endpoint_url: str, timeout: float = 30.0, alive: Any = None) -> None:
    """Block until the S3 server answers a ListBuckets call; `alive()` returning False aborts early."""
    from botocore.exceptions import BotoCoreError, ClientError

    client = s3_client(endpoint_url)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.list_buckets()
            return
        except (BotoCoreError, ClientError, OSError):
            if alive is not None and not alive():
                raise RuntimeError("the S3 server process exited during start-up") from None
            if time.monotonic() > deadline:
                raise TimeoutError(f"the S3 server at {endpoint_url} did not answer within {timeout:.0f} s") from None
            time.sleep(0.1)


def ensure_bucket(client: Any, bucket: str, region: str = SANDBOX_REGION) -> None:
    """Create `bucket` unless it exists."""
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})


def upload_file(client: Any, bucket: str, key: str, path: Path) -> int:
    """Upload one file byte for byte (a single PUT, so the ETag is the plain MD5); returns its size."""
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    data = Path(path).read_bytes()
    client.put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type)
    return len(data)


def upload_dir(client: Any, bucket: str, directory: Path) -> dict[str, int]:
    """Upload every file under `directory`, keyed by its path relative to it; returns key -> size."""
    directory = Path(directory)
    sizes: dict[str, int] = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        key = path.relative_to(directory).as_posix()
        sizes[key] = upload_file(client, bucket, key, path)
    return sizes


def list_objects(client: Any, bucket: str) -> dict[str, int]:
    """Every key in `bucket` with its size."""
    sizes: dict[str, int] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            sizes[obj["Key"]] = obj["Size"]
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Run moto's S3 server in the foreground until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description="Sandbox S3 server (moto)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    if not port_available(args.host, args.port):
        print(f"port {args.port} on {args.host} is already in use", file=sys.stderr, flush=True)
        return 1

    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    # ThreadedMotoServer.start() waits forever if its thread fails to bind; bound the wait instead.
    starter = threading.Thread(target=server.start, daemon=True)
    starter.start()
    starter.join(timeout=30)
    if starter.is_alive():
        print(f"S3 server failed to start on {args.host}:{args.port}", file=sys.stderr, flush=True)
        return 1
    print(f"S3 (moto) serving on http://{args.host}:{args.port}", flush=True)

    wait_for_stop_signal()
    # moto keeps everything in memory: nothing to flush, so skip its slow graceful shutdown.
    print("S3 server stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
