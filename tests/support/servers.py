"""The production set-up in processes (README, "Running in production"): app servers (gunicorn,
gthread) and mail workers (`flask outbox work`) on one database, configured only by FLASK_*
variables, as systemd starts them (docs/production/).

    with Deployment(tmp_path, smtp_port=smtp_server.port) as deployment:
        deployment.migrate()                       # `flask db upgrade`, in a process of its own
        deployment.start(web=2, workers=2)         # each app server on a socket of its own
        deployment.web[0], deployment.web[1]       # their base URLs

Every process runs in a process group of its own, and leaving the `with` block (a failed assertion
too) stops the groups: SIGTERM, then SIGKILL for what is still there.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import requests
from gunicorn import __version__ as gunicorn_version

from tests.support.database import drop_database, new_database

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the project
SECRET_KEY = "multi-server-test-secret"  # one key for every process: sessions and CSRF tokens travel
# Redis for the rate limits and the public cache versions: a database of the tests' own.
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
# gunicorn >= 25 opens a control socket in $HOME, the same path for both servers: none here.
_NO_CONTROL_SOCKET = ["--no-control-socket"] if int(gunicorn_version.split(".")[0]) >= 25 else []
START_TIMEOUT = 90  # seconds for a process to answer: importing the app is slow on a busy machine


class Deployment:
    def __init__(self, folder, *, smtp_port: int, threads: int = 4, **settings):
        self.folder = folder
        self.uri, self._postgres = new_database(folder, "multi")
        self.threads = threads
        self.processes: list[subprocess.Popen] = []
        self.web: list[str] = []
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("FLASK_", "PORTAL_", "GUNICORN_"))}
        self.env.update({
            "FLASK_SQLALCHEMY_DATABASE_URI": self.uri,
            "FLASK_SECRET_KEY": SECRET_KEY,
            "FLASK_PORTAL_BASE_URL": "http://portal.example.org",
            "FLASK_OUTBOX_DELIVER_IN_APP": "false",  # the workers send
            "FLASK_OUTBOX_POLL_SECONDS": "0.2",
            "FLASK_MAIL_SERVER": "127.0.0.1",
            "FLASK_MAIL_PORT": str(smtp_port),
            "FLASK_RATELIMIT_STORAGE_URI": REDIS,
            # Keys of this run only: another run may share the Redis database.
            "FLASK_RATELIMIT_KEY_PREFIX": f"multi-{uuid.uuid4().hex[:8]}",
            "FLASK_CACHE_VERSIONS_URI": REDIS,
        })
        self.env.update({f"FLASK_{key}": str(value) for key, value in settings.items()})
        self._app = None

    @property
    def app(self):
        """An app in the test's own process on the same database: to seed it and to look."""
        if self._app is None:
            from portal import create_app
            self._app = create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": self.uri,
                                    "INSTANCE_PATH": str(self.folder / "test"), "RATELIMIT_ENABLED": False,
                                    "OUTBOX_DELIVER_IN_APP": False, "PORTAL_BASE_URL": "http://portal.example.org"})
        return self._app

    # --- processes ------------------------------------------------------------------------------
    def _spawn(self, name: str, command: list[str], **popen) -> subprocess.Popen:
        instance = self.folder / name  # each process its own instance folder, as on its own machine
        instance.mkdir(exist_ok=True)
        log_path = instance / "output.log"
        with open(log_path, "wb") as log:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(command, cwd=ROOT, env={**self.env, "PORTAL_INSTANCE_PATH": str(instance)},
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **popen)
        process.name, process.log_path = name, log_path
        self.processes.append(process)
        return process

    def migrate(self) -> None:
        """`flask db upgrade` on the new database, as an operator runs it before starting."""
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        result = subprocess.run([*flask, "db", "upgrade"], check=False, cwd=ROOT, env={
            **self.env, "PORTAL_INSTANCE_PATH": str(self.folder / "migrate")}, capture_output=True, timeout=300)
        assert result.returncode == 0, result.stderr.decode(errors="replace")[-3000:]

    def start(self, web: int = 2, workers: int = 2) -> None:
        servers = [self._start_web(n) for n in range(web)]
        for n in range(workers):
            self._spawn(f"worker{n}", [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work"])
        for process, url in servers:
            self._wait_until_serving(process, url)
            self.web.append(url)

    def _start_web(self, n: int) -> tuple[subprocess.Popen, str]:
        """gunicorn on a socket bound here and handed over (fd://): no race for a free port."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        try:
            process = self._spawn(f"web{n}", [
                sys.executable, "-m", "gunicorn", "-k", "gthread", "--workers", "1", "--threads", str(self.threads),
                "--bind", f"fd://{listener.fileno()}", "--graceful-timeout", "5", "--timeout", "120",
                *_NO_CONTROL_SOCKET, "wsgi:app",
            ], pass_fds=(listener.fileno(),))
        finally:
            listener.close()  # gunicorn holds its own copy
        return process, f"http://127.0.0.1:{port}"

    def _wait_until_serving(self, process: subprocess.Popen, url: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert process.poll() is None, f"{process.name} exited:\n{self.log(process)}"
            try:  # the socket listens from the start: the request waits for the app to be loaded
                if requests.get(f"{url}/", timeout=max(1.0, deadline - time.monotonic())).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.2)
        raise AssertionError(f"{process.name} never answered:\n{self.log(process)}")

    def check_alive(self) -> None:
        """Every process still runs (a worker that died would leave its mail unsent)."""
        for process in self.processes:
            assert process.poll() is None, f"{process.name} exited:\n{self.log(process)}"

    @staticmethod
    def log(process: subprocess.Popen) -> str:
        with open(process.log_path, "rb") as handle:
            return handle.read().decode(errors="replace")[-3000:]

    def stop(self) -> None:
        for process in self.processes:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _signal_group(process, signal.SIGKILL)  # the group's leftovers too (gunicorn's worker)
            process.wait()
        self.processes.clear()

    # --- the context manager --------------------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *_):
        try:
            self.stop()
        finally:
            if self._app is not None:
                from portal.extensions import db
                with self._app.app_context():
                    db.engine.dispose()
            drop_database(self._postgres)


def _signal_group(process: subprocess.Popen, sig) -> None:
    try:
        os.killpg(process.pid, sig)  # start_new_session: the group's id is the leader's pid
    except ProcessLookupError:
        pass
