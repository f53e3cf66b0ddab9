"""The one table `make bench` prints: every figure a ratio measured in the same run, beside its target.

A benchmark measures its side and its reference in one go (the portal's page and a bare Flask route on
the same server set-up, the list at 100k and at 1k applicants, the worker and raw smtplib) and calls
`record()` once per row. At the end of the run `benchmarks/conftest.py` prints the rows as one table and
writes it to `benchmarks/results/table.md`, with the machine it ran on, for the README to quote.
"""
import json
import os
import platform
from dataclasses import asdict, dataclass

RESULTS = os.path.join(os.path.dirname(__file__), "results")
ROWS = os.path.join(RESULTS, "table.jsonl")


@dataclass
class Row:
    measure: str  # what is compared, in words: "home page vs bare route (requests/s)"
    value: float  # the ratio (or, for a bound like p99 or a page weight, the measured figure)
    unit: str  # "×" for a ratio, "ms", "kB"
    target: str  # ">= 0.5", "<= 3", "< 250"; or "reference": a figure that explains another, no target
    detail: str = ""  # the two raw figures behind the ratio, the set-up

    @property
    def met(self) -> bool | None:
        if self.target == "reference":
            return None
        operator, bound = self.target.split()
        bound = float(bound)
        return {">=": self.value >= bound, ">": self.value > bound, "<=": self.value <= bound,
                "<": self.value < bound}[operator]


def record(measure: str, value: float, target: str, *, unit: str = "×", detail: str = "") -> Row:
    """Add a row to this run's table (one file, appended: pytest-xdist workers and subprocesses too)."""
    row = Row(measure, round(value, 3), unit, target, detail)
    row.met  # noqa: B018 - a malformed target fails here, in the benchmark that wrote it
    os.makedirs(RESULTS, exist_ok=True)
    with open(ROWS, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
    return row


def start_run() -> None:
    if os.path.exists(ROWS):
        os.remove(ROWS)


def rows() -> list[Row]:
    if not os.path.exists(ROWS):
        return []
    with open(ROWS, encoding="utf-8") as handle:
        return [Row(**json.loads(line)) for line in handle if line.strip()]


def machine() -> str:
    cores = os.cpu_count()
    try:
        with open("/proc/meminfo") as handle:
            memory = int(handle.readline().split()[1]) // (1024 * 1024)
    except OSError:
        memory = 0
    return f"{platform.machine()}, {cores} cores, {memory} GiB, Python {platform.python_version()}, {platform.system()}"


def as_markdown(table_rows: list[Row]) -> str:
    lines = ["| measure | figure | target | met | detail |", "|---|---|---|---|---|"]
    for row in table_rows:
        figure = f"{row.value:g}{' ' + row.unit if row.unit != '×' else ' ×'}"
        lines.append(f"| {row.measure} | {figure} | {row.target} | {'—' if row.met is None else 'yes' if row.met else '**no**'} | {row.detail} |")
    return "\n".join(lines)
