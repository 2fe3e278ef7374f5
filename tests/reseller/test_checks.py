"""The system check that ``numbers.models`` is the catalogue app, not another module."""

import sys
import types

from django.core.management import call_command

from reseller.checks import numbers_is_the_app


def test_the_check_passes_when_numbers_models_is_the_app():
    assert numbers_is_the_app() == []
    call_command("check", verbosity=0)  # raises SystemCheckError on any error


def test_the_check_fails_loudly_when_numbers_models_is_another_module(monkeypatch, tmp_path):
    impostor = types.ModuleType("numbers.models")
    impostor.__file__ = str(tmp_path / "numbers" / "models.py")
    monkeypatch.setitem(sys.modules, "numbers.models", impostor)

    errors = numbers_is_the_app()

    assert [error.id for error in errors] == ["reseller.E001"]
    assert errors[0].is_serious()
