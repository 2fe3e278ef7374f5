"""System checks of the project's own arrangement."""

from importlib import import_module
from pathlib import Path

from django.core import checks

import reseller


@checks.register()
def numbers_is_the_app(app_configs=None, **kwargs):
    """``numbers.models`` must be the catalogue app's module, not something else named so.

    See ``reseller/__init__.py``: an entry point that imports the app without importing
    ``reseller`` first, or a package called ``numbers`` earlier on the path, breaks this.
    """
    wanted = reseller.NUMBERS_APP_DIR / "models" / "__init__.py"
    try:
        module = import_module("numbers.models")
    except ImportError as error:
        found = f"not importable ({error})"
    else:
        found = Path(module.__file__ or "").resolve()
    if found != wanted:
        return [
            checks.Error(
                f"numbers.models is {found}, not the catalogue app's {wanted}.",
                hint="Import `reseller` before anything imports the app "
                "(see reseller/__init__.py).",
                id="reseller.E001",
            )
        ]
    return []
