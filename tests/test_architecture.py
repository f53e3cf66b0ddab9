"""The house rules of docs/architecture.md, checked: a wrong import or a hand-made transaction
fails the suite, not only a review."""
import ast
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORTAL = os.path.join(ROOT, "portal")


def _modules():
    for folder, _, files in os.walk(PORTAL):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as handle:
                    yield os.path.relpath(path, ROOT), ast.parse(handle.read())


def _calls(tree, name: str) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and (getattr(node.func, "id", None) == name or getattr(node.func, "attr", None) == name)]


def test_the_import_contracts_hold():
    """The floors (pyproject.toml, [tool.importlinter]): domains import only what is below them."""
    lint_imports = os.path.join(os.path.dirname(sys.executable), "lint-imports")
    result = subprocess.run([lint_imports, "--no-cache"], check=False, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_nothing_but_the_write_helper_opens_or_commits_a_write():
    """Views, operations and commands use writing(); begin_write() and commit() stay inside it
    (and inside the outbox worker's own reads)."""
    offenders = []
    for path, tree in _modules():
        if path in ("portal/database.py",):
            continue
        offenders += [f"{path}:{line} begin_write()" for line in _calls(tree, "begin_write")]
        if not path.startswith("portal/outbox/"):
            offenders += [f"{path}:{line} commit()" for line in _calls(tree, "commit")]
            offenders += [f"{path}:{line} rollback()" for line in _calls(tree, "rollback")
                          if path != "portal/housekeeping.py"]
    assert not offenders, "use `with writing():` or `@writing()` instead:\n" + "\n".join(offenders)


def test_one_clock_and_no_wake_up_call_outside_the_outbox():
    definitions = [path for path, tree in _modules() for node in ast.walk(tree)
                   if isinstance(node, ast.FunctionDef) and node.name == "utcnow"]
    assert definitions == ["portal/clock.py"]
    wakers = [f"{path}:{line}" for path, tree in _modules() if not path.startswith("portal/outbox/")
              for line in _calls(tree, "wake_worker")]
    assert not wakers, wakers
    naive_clocks = [f"{path}:{node.lineno}" for path, tree in _modules() if path != "portal/clock.py"
                    for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr in ("now", "utcnow")
                    and getattr(node.value, "attr", getattr(node.value, "id", None)) in ("datetime",)]
    assert not naive_clocks, f"ask portal.clock.utcnow() instead: {naive_clocks}"


def test_every_package_plugs_itself_in():
    """create_app calls each domain package's init_app(); no package is wired by hand elsewhere."""
    import importlib

    from portal import create_app
    for name in ("pages", "geo", "events", "accounts", "registration", "review", "directory", "proposals", "campaigns",
                 "organizing", "outbox"):
        assert callable(getattr(importlib.import_module(f"portal.{name}"), "init_app", None)), name
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "INSTANCE_PATH": os.path.join(ROOT, "instance")})
    assert {"catalogue", "registration", "manage", "offers", "people", "accounts", "review", "exports", "distribution",
            "directory", "campaigns", "message_templates", "invitations", "geo", "pages", "organizing",
            "inclusion", "accessibility", "proposals", "rapporteur", "registrant_proposals",
            "public_proposals", "checkin", "assisted"} == set(app.blueprints)
    commands = set(app.cli.commands)
    assert {"seed-demo", "users", "outbox", "purge"} <= commands


def test_one_refusal_for_every_operation():
    """Operations say no with portal.forms.Refused (field-by-field problems); no package keeps its
    own copy of it."""
    copies = [f"{path}:{node.lineno}" for path, tree in _modules() for node in ast.walk(tree)
              if isinstance(node, ast.ClassDef) and node.name == "Refused" and path != "portal/forms.py"]
    assert not copies, copies


FORMAT_MODULES = ("flask_babel", "babel.dates", "babel.numbers", "babel")
FORMAT_NAMES = {"format_date", "format_time", "format_datetime", "format_timedelta", "format_interval",
                "format_skeleton", "format_decimal", "format_number", "format_percent", "format_currency",
                "format_compact_decimal", "format_compact_currency", "format_scientific", "format_unit"}


def test_one_way_to_format_a_date_or_a_number():
    """Dates and numbers are formatted by portal.i18n alone, with the formats locale of the config
    (ar -> ar_MA: شتنبر, not سبتمبر); a format function imported from Babel elsewhere would format with
    the catalogue's locale."""
    offenders = []
    for path, tree in _modules():
        if path == "portal/i18n.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in FORMAT_MODULES:
                offenders += [f"{path}:{node.lineno} {node.module}.{alias.name}" for alias in node.names
                              if alias.name in FORMAT_NAMES or alias.name in ("dates", "numbers")]
            elif isinstance(node, ast.Import):
                offenders += [f"{path}:{node.lineno} import {alias.name}" for alias in node.names
                              if alias.name in ("babel.dates", "babel.numbers")]
    assert not offenders, "use portal.i18n.format_* instead:\n" + "\n".join(offenders)
