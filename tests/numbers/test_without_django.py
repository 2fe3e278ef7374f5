"""The pure catalogue modules import, and their tests run, without Django.

They are named ``numbers.<module>``, which only works once ``reseller`` is imported
(see reseller/__init__.py); these checks run in a fresh interpreter to prove that
nothing else is needed.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE_MODULES = [
    "numbers.patterns",
    "numbers.pricing",
    "numbers.mobile",
    "numbers.companies",
    "numbers.references",
    "numbers.converters",
]
PURE_TESTS = ["tests/numbers/test_patterns.py", "tests/numbers/test_pricing.py"]


def run(*args):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_pure_modules_import_without_loading_django():
    imports = "; ".join(f"import {module}" for module in PURE_MODULES)
    script = (
        f"import reseller; {imports}; import sys; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )

    result = run("-c", script)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pure_modules_tests_run_with_the_django_plugin_off():
    # The pricing tests run in full; the pattern tests (slower, and in the suite
    # anyway) are collected, which imports them and their module.
    pricing = run("-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-q", PURE_TESTS[1])
    collected = run(
        "-m",
        "pytest",
        "-p",
        "no:django",
        "-p",
        "no:cacheprovider",
        "-q",
        "--collect-only",
        *PURE_TESTS,
    )

    assert pricing.returncode == 0, pricing.stdout + pricing.stderr
    assert " passed" in pricing.stdout
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert "error" not in collected.stdout.lower()
