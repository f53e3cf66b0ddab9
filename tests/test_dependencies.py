"""requirements.lock pins, with hashes, a version of every dependency that requirements.txt allows:
production installs it with `pip install --require-hashes -r requirements.lock`."""
import os
import re

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _read(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as handle:
        return handle.read()


def test_the_lock_pins_every_requirement_within_its_range_with_hashes():
    pinned = {}
    for block in re.split(r"\n(?=\S)", _read("requirements.lock")):
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\]+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{match.group(1)} is pinned without a hash"
            pinned[canonicalize_name(match.group(1))] = match.group(2)
    for line in _read("requirements.txt").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), \
            f"{requirement.name}=={pinned[name]} is outside {requirement.specifier}: run `make lock`"
