"""The HTTP harness of `make bench`: the portal and a bare Flask app (`benchmarks/bare_app.py`) served by
the same gunicorn set-up, loaded by wrk on loopback, one after the other in the same run.

The portal runs as README's production section sets it up, on a fresh database: `flask db upgrade` and
`flask seed-demo` on a SQLite file (or a PostgreSQL schema of its own when TEST_DATABASE_URL is set),
gunicorn `-k gthread`, rate limits off (the load comes from one address), mail left in the outbox (no
delivery thread in the web processes, no SMTP server). Every FLASK_* variable of the caller's
environment is left out, so that the set-up is the same on every machine.

wrk runs a Lua script of ours that counts the answers by status and prints its summary as one JSON line
(`WRK_REPORT {...}`): requests, duration, latency percentiles and errors, read here without parsing the
human text. Each wrk output is also written to benchmarks/results/http.txt.

Settings (environment): BENCH_SECONDS (each measure, 10), BENCH_WARMUP_SECONDS (the warm-up before each
measure, 2), BENCH_WRK_THREADS (2), BENCH_WRK_CONNECTIONS (32), BENCH_GUNICORN_WORKERS (2),
BENCH_GUNICORN_THREADS (4).
"""
import gzip
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "benchmarks", "results")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP_SECONDS", "2"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "32"))
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
GUNICORN_THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))


def setup_text() -> str:
    return (f"gunicorn {GUNICORN_WORKERS} workers × {GUNICORN_THREADS} threads (gthread); "
            f"wrk {WRK_THREADS} threads, {WRK_CONNECTIONS} connections, {SECONDS} s after {WARMUP_SECONDS} s of warm-up")


# --- wrk ------------------------------------------------------------------------------------------
# Every run counts its answers by status (response()) and reports in JSON (done()). With arguments
# after `--` (prefix, suffix, tag), each request is a POST whose body is prefix .. email .. suffix, the
# address unique in the run: "<tag>-<thread>-<n>@exemple.ma".
WRK_SCRIPT = r"""
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  counter = 0
  prefix, suffix, tag = args[1], args[2], args[3]
  if prefix then
    request = function()
      counter = counter + 1
      local email = string.format("%s-%d-%d%%40exemple.ma", tag, id, counter)
      return wrk.format("POST", nil, nil, prefix .. email .. suffix)
    end
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_REPORT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"latency_us": {"mean": %.1f, "max": %d, "50": %d, "75": %d, "90": %d, "99": %d}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), e.connect, e.read, e.write, e.timeout, e.status, table.concat(parts, ", ")))
end
"""


@dataclass
class Load:
    """One wrk run, as its done() reported it."""
    label: str
    requests: int
    seconds: float
    latency_ms: dict[str, float]
    errors: dict[str, int]
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def socket_errors(self) -> int:
        return sum(self.errors[kind] for kind in ("connect", "read", "write", "timeout"))

    def answers(self, *wanted: int) -> int:
        return sum(n for status, n in self.statuses.items() if status in wanted)

    def failures(self, *expected: int) -> int:
        """Socket errors and timeouts, and answers other than the expected statuses."""
        return self.socket_errors + self.requests - self.answers(*expected)

    def summary(self) -> str:
        return f"{self.rate:.0f} req/s, p99 {self.latency_ms['99']:.0f} ms"


def parse_report(label: str, output: str) -> Load:
    line = next((line for line in output.splitlines() if line.startswith("WRK_REPORT ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no report for {label}:\n{output}")
    report = json.loads(line.removeprefix("WRK_REPORT "))
    return Load(label=label, requests=report["requests"], seconds=report["duration_us"] / 1e6,
                latency_ms={key: value / 1000 for key, value in report["latency_us"].items()},
                errors=report["errors"], statuses={int(status): n for status, n in report["statuses"].items()})


class Wrk:
    def __init__(self, folder: str):
        self.wrk = shutil.which("wrk")
        if self.wrk is None:
            raise RuntimeError("wrk is missing: `make bench` installs it (apt-get install wrk)")
        self.script = os.path.join(folder, "report.lua")
        with open(self.script, "w") as handle:
            handle.write(WRK_SCRIPT)
        os.makedirs(RESULTS, exist_ok=True)
        self.log = os.path.join(RESULTS, "http.txt")
        with open(self.log, "w") as handle:
            handle.write(f"HTTP benchmarks: {setup_text()}\n")

    def run(self, label: str, url: str, *, seconds: int = SECONDS, headers: dict | None = None,
            post: tuple[str, str, str] | None = None) -> Load:
        command = [self.wrk, f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
                   "--latency", "-s", self.script]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        command.append(url)
        if post:
            command += ["--", *post]
        output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
        with open(self.log, "a") as handle:
            handle.write(f"\n## {label} ({url}, {seconds} s)\n{output}")
        load = parse_report(label, output)
        # The requests in flight when wrk stopped are still being served: let them end, so that they
        # do not slow the next measure (each took at most about the longest latency seen).
        time.sleep(min(10.0, 1.5 * load.latency_ms["max"] / 1000))
        return load

    def measure(self, label: str, url: str, **kwargs) -> Load:
        """A warm-up (each worker compiles its templates, fills its caches), then the measure."""
        if WARMUP_SECONDS:
            self.run(f"{label}, warm-up", url, seconds=WARMUP_SECONDS, **kwargs)
        return self.run(label, url, **kwargs)


# --- the servers ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving `target` (module:app) with the benchmark's settings, in its own process group."""

    def __init__(self, name: str, target: str, env: dict, folder: str):
        self.name, self.target, self.env = name, target, env
        self.port = free_port()
        self.log_path = os.path.join(folder, f"{name}.log")
        self.process = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str = "/") -> None:
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", str(GUNICORN_WORKERS), "-k", "gthread",
                 "--threads", str(GUNICORN_THREADS), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
                 self.target],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped at start:\n{self.log()}")
            try:
                if get(self.base + ready_path).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within 60 s:\n{self.log()}")

    def log(self) -> str:
        with open(self.log_path, errors="replace") as handle:
            return handle.read()[-4000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # gunicorn's master stops its workers on SIGTERM
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def clean_environment() -> dict:
    return {name: value for name, value in os.environ.items() if not name.startswith("FLASK_")}


def portal_environment(instance: str, database_uri: str | None) -> dict:
    env = clean_environment()
    env.update(PORTAL_INSTANCE_PATH=instance, FLASK_SECRET_KEY=secrets.token_urlsafe(32),
               FLASK_RATELIMIT_ENABLED="false", FLASK_OUTBOX_DELIVER_IN_APP="false")
    if database_uri:
        env["FLASK_SQLALCHEMY_DATABASE_URI"] = database_uri
    return env


def prepare_portal(env: dict) -> None:
    """A fresh database: the migrations, then the demo events (README's `make run`)."""
    for command in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *command], cwd=ROOT, env=env, check=False,
                              capture_output=True, text=True, timeout=300)
        if done.returncode:
            raise RuntimeError(f"flask {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


# --- plain HTTP, for what wrk does not do ---------------------------------------------------------
@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes  # as sent: compressed when the server compressed it

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def cookie(self, name: str) -> str | None:
        for header in self.headers.get_all("Set-Cookie") or []:
            pair = header.split(";", 1)[0]
            key, _, value = pair.partition("=")
            if key.strip() == name:
                return value
        return None


def request(method: str, url: str, *, headers: dict | None = None, body: str | None = None) -> Answer:
    """One request, redirects not followed, body not decompressed."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body,
                           headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def get(url: str, headers: dict | None = None) -> Answer:
    return request("GET", url, headers=headers)


class FormReader(HTMLParser):
    """A page read: its fields (inputs' values, radio and checkbox values listed; selects' options), its
    links, and the same-origin stylesheets, scripts and images it loads."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.links: list[str] = []  # same-origin stylesheets, scripts and images
        self.anchors: list[str] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.values.setdefault(attributes["name"], []).append(attributes.get("value") or "")
        elif tag == "select":
            self._select = attributes.get("name")
        elif tag == "option" and self._select:
            self.values.setdefault(self._select, []).append(attributes.get("value") or "")
        elif tag == "a" and attributes.get("href"):
            self.anchors.append(attributes["href"])
        address = (attributes.get("href") if tag == "link" and "stylesheet" in (attributes.get("rel") or "")
                   else attributes.get("src") if tag in ("script", "img") else None)
        if address and address.startswith("/") and not address.startswith("//"):
            self.links.append(address)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def read_page(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


def read_links(html: str) -> list[str]:
    return read_page(html).anchors


def page_weight(base: str, path: str) -> tuple[int, int, bool]:
    """(HTML bytes, same-origin CSS/JS/image bytes, whether the HTML came compressed) as sent to a
    browser accepting gzip. htmx, from its CDN, is not counted ("before htmx")."""
    headers = {"Accept-Encoding": "gzip", "Accept-Language": "fr"}
    page = get(base + path, headers)
    if page.status != 200:
        raise RuntimeError(f"{path} answered {page.status}")
    compressed = page.headers.get("Content-Encoding") == "gzip"
    html = gzip.decompress(page.body) if compressed else page.body
    assets = 0
    for link in dict.fromkeys(read_page(html.decode("utf-8")).links):
        asset = get(base + link, headers)
        if asset.status != 200:
            raise RuntimeError(f"{link} (from {path}) answered {asset.status}")
        assets += len(asset.body)
    return len(page.body), assets, compressed
