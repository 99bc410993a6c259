"""A local S3 (moto's server on 127.0.0.1, a free port) and a fixture switching media onto it.

Used by the storage tests and the backup tests: the same code paths as production's
django-storages S3 backend, with no traffic leaving the machine.
"""

import socket

import pytest

BUCKET = "asmhub-test-media"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's S3 server in a thread, for the whole session."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 call otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )


def s3_storage_settings(endpoint: str, bucket: str = BUCKET) -> dict:
    """The STORAGES["default"] entry production builds from AWS_* (see asmhub/settings.py)."""
    from asmhub.settings import s3_media_storage

    entry = s3_media_storage(bucket=bucket, endpoint_url=endpoint, region_name="us-east-1")
    entry["OPTIONS"].update(CREDENTIALS)
    return entry


def object_names(endpoint: str, bucket: str = BUCKET) -> list[str]:
    listing = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


@pytest.fixture
def s3_media(settings, moto_endpoint):
    """Media on a fresh, empty, private bucket for one test; returns a listing callable."""
    import uuid

    bucket = f"{BUCKET}-{uuid.uuid4().hex[:12]}"
    client = s3_client(moto_endpoint)
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(moto_endpoint, bucket)}
    yield lambda: object_names(moto_endpoint, bucket)
    for name in object_names(moto_endpoint, bucket):
        client.delete_object(Bucket=bucket, Key=name)
    client.delete_bucket(Bucket=bucket)
