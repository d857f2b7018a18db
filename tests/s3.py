"""A real S3 endpoint for the tests: moto's server on 127.0.0.1 (HTTP, signed requests), never patched calls.

``s3_server`` starts it once per test run with one bucket. ``s3`` points every file field of the project and the
kept uploads at their own prefix in that bucket for one test (what ``RATSINFO_SPEICHER=s3`` does in settings),
and ``speicherart`` runs a test once on local disk and once against the bucket.
"""

import dataclasses
import socket
import uuid

import pytest

ZUGANG = {"access_key": "test", "secret_key": "test", "region_name": "eu-central-1"}
BUCKET = "ratsinfo-test"

OBJEKT_SPEICHER = {
    "anlagen": "vorlagen.storage.AnlagenObjektSpeicher",
    "druck": "druck.storage.DruckObjektSpeicher",
    "zwischenspeicher": "vorlagen.zwischenspeicher.ZwischenObjektSpeicher",
}


def freier_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclasses.dataclass
class S3Server:
    endpoint: str
    bucket: str

    def optionen(self, praefix=""):
        """The storage options RATSINFO_S3 holds in settings, for this endpoint."""
        from botocore.config import Config

        return {
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint,
            **ZUGANG,
            "location": praefix,
            "client_config": Config(
                connect_timeout=2, read_timeout=5, retries={"max_attempts": 1}, signature_version="s3v4"
            ),
        }

    def umgebung(self, praefix=""):
        """The environment variables of a process that uses this bucket (docs/betrieb.md)."""
        return {
            "RATSINFO_SPEICHER": "s3",
            "RATSINFO_S3_BUCKET": self.bucket,
            "RATSINFO_S3_ENDPOINT_URL": self.endpoint,
            "RATSINFO_S3_REGION": ZUGANG["region_name"],
            "RATSINFO_S3_ACCESS_KEY_ID": ZUGANG["access_key"],
            "RATSINFO_S3_SECRET_ACCESS_KEY": ZUGANG["secret_key"],
            "RATSINFO_S3_PRAEFIX": praefix,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ZUGANG["access_key"],
            aws_secret_access_key=ZUGANG["secret_key"],
            region_name=ZUGANG["region_name"],
        )

    def schluessel(self, praefix):
        """Every object key below ``praefix``."""
        seiten = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=praefix)
        return sorted(objekt["Key"] for seite in seiten for objekt in seite.get("Contents", ()))


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = freier_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    s3 = S3Server(endpoint=f"http://127.0.0.1:{port}", bucket=BUCKET)
    s3.client().create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": ZUGANG["region_name"]})
    yield s3
    server.stop()


@dataclasses.dataclass
class S3Test:
    server: S3Server
    praefix: str

    def schluessel(self):
        return self.server.schluessel(self.praefix + "/")


@pytest.fixture
def s3(s3_server, settings, monkeypatch, dateien_in_tmp):
    """This test's files in the bucket, below a prefix of its own, as with RATSINFO_SPEICHER=s3."""
    from django.utils.module_loading import import_string

    from ratsinfo import speicher
    from tests.conftest import DATEIFELDER

    praefix = f"test-{uuid.uuid4().hex[:12]}"
    optionen = s3_server.optionen(praefix)
    eintraege = {
        alias: speicher.dateiablage(
            alias, art=speicher.S3, lokal_backend="", ordner="", s3_backend=backend, s3_optionen=optionen
        )
        for alias, backend in OBJEKT_SPEICHER.items()
    }
    for feld, alias in DATEIFELDER:
        eintrag = eintraege[alias]
        monkeypatch.setattr(feld, "storage", import_string(eintrag["BACKEND"])(**eintrag["OPTIONS"]))
    settings.STORAGES = {**settings.STORAGES, "zwischenspeicher": eintraege["zwischenspeicher"]}
    settings.RATSINFO_SPEICHER = speicher.S3
    settings.RATSINFO_S3 = optionen
    return S3Test(server=s3_server, praefix=praefix)


@pytest.fixture(params=["lokal", "s3"])
def speicherart(request):
    """Run the test on local disk and against the bucket."""
    if request.param == "s3":
        request.getfixturevalue("s3")
    return request.param
