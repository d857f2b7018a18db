"""The locked dependencies (requirements/*.txt, scripts/lock): what every install, CI and production get."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_ONLY_FORBIDDEN = {"pytest", "pytest-django", "ruff", "playwright", "hypothesis", "factory-boy", "pip-tools"}


def pins(lockfile):
    text = (ROOT / lockfile).read_text(encoding="utf-8")
    return {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", text, re.M)
    }


def run_lock(root, *arguments):
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "lock"), *arguments], capture_output=True, text=True, check=False
    )


@pytest.fixture
def checkout_copy(tmp_path):
    """pyproject.toml, the lock files and scripts/lock in a folder of their own, free to be changed."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "lock", tmp_path / "scripts" / "lock")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def test_committed_lock_matches_pyproject():
    ergebnis = run_lock(ROOT, "check")

    assert ergebnis.returncode == 0, ergebnis.stderr


def test_every_locked_requirement_is_pinned_with_hashes():
    for lockfile in ("requirements/prod.txt", "requirements/dev.txt", "requirements/tools.txt"):
        text = (ROOT / lockfile).read_text(encoding="utf-8")
        requirements = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n\n", 1)[1])
        assert requirements, lockfile
        for requirement in requirements:
            if requirement.startswith("#"):
                continue
            assert re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*==\S+ \\\n", requirement), requirement
            assert "--hash=sha256:" in requirement, requirement


def test_production_lock_holds_the_runtime_dependencies_and_no_dev_tools():
    prod, dev = pins("requirements/prod.txt"), pins("requirements/dev.txt")

    assert not RUNTIME_ONLY_FORBIDDEN & set(prod)
    assert {"django", "weasyprint", "pypdf", "psycopg", "gunicorn"} <= set(prod)
    # What the tests ran (dev) is what production runs.
    assert {name: dev[name] for name in prod} == prod


def test_pypdf_is_locked_at_the_release_a_fresh_install_gets():
    assert pins("requirements/prod.txt")["pypdf"].startswith("7.")


def test_changed_pyproject_without_relocking_is_refused_with_a_sentence(checkout_copy):
    pyproject = checkout_copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"pypdf>=6",', '"pypdf>=6",\n    "lxml>=5",'))

    ergebnis = run_lock(checkout_copy, "check")

    assert ergebnis.returncode == 1
    assert "does not match pyproject.toml" in ergebnis.stderr
    assert "make lock" in ergebnis.stderr
    assert "Traceback" not in ergebnis.stderr


def test_hand_edited_pin_outside_pyproject_range_is_refused(checkout_copy):
    prod = checkout_copy / "requirements" / "prod.txt"
    prod.write_text(re.sub(r"^pypdf==\S+", "pypdf==5.9.0", prod.read_text(), flags=re.M))

    ergebnis = run_lock(checkout_copy, "check")

    assert ergebnis.returncode == 1
    assert "pypdf==5.9.0" in ergebnis.stderr
    assert "Traceback" not in ergebnis.stderr


def test_requirement_without_hash_is_refused(checkout_copy):
    dev = checkout_copy / "requirements" / "dev.txt"
    dev.write_text(dev.read_text() + "six==1.17.0\n")

    ergebnis = run_lock(checkout_copy, "check")

    assert ergebnis.returncode == 1
    assert "six has no hash" in ergebnis.stderr


def test_tool_added_without_relocking_is_refused(checkout_copy):
    tools_in = checkout_copy / "requirements" / "tools.in"
    tools_in.write_text(tools_in.read_text() + "pipdeptree\n")

    ergebnis = run_lock(checkout_copy, "check")

    assert ergebnis.returncode == 1
    assert "lacks pipdeptree" in ergebnis.stderr


def test_the_test_environment_holds_exactly_the_lock():
    """Holds where the suite runs in .venv from `make test`, as in CI; another environment is not the lock's."""
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip(f"runs only in {ROOT / '.venv'} (made by make from the lock), not in {sys.prefix}")

    ergebnis = run_lock(ROOT, "compare", "--strict", "requirements/dev.txt")

    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr


def test_pytest_names_the_reason_of_every_skipped_test():
    with (ROOT / "pyproject.toml").open("rb") as datei:
        addopts = tomllib.load(datei)["tool"]["pytest"]["ini_options"]["addopts"].split()

    report_chars = "".join(option[2:] for option in addopts if option.startswith("-r"))
    assert "s" in report_chars
    # -r replaces pytest's default "fE": failures and errors must stay in the summary.
    assert {"f", "E"} <= set(report_chars)
