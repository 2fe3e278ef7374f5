"""The project package; importing it makes the catalogue app ``numbers`` importable.

The catalogue app lives in the top-level folder ``numbers/``, which has the name of the
standard library module ``numbers`` (the numeric ABCs that ``decimal`` and
``fractions`` import, so every process has it loaded before Django starts). Both must
work: ``import numbers`` is the standard library, ``numbers.models`` is the app. The
folder therefore has no ``__init__.py`` and is hung under the standard module as its
package path, here and nowhere else.

Every entry point imports this package before the app: ``manage.py``,
``reseller.wsgi``, the settings (``DJANGO_SETTINGS_MODULE`` is ``reseller.settings``),
the tests' root ``tests/conftest.py`` (also when run without Django) and the
benchmarks. The system check ``reseller.E001`` fails if ``numbers.models`` is not the
app's module; ``typings/numbers/__init__.pyi`` tells type checkers and IDEs the same.
"""

from pathlib import Path

import numbers as _stdlib_numbers

NUMBERS_APP_DIR = Path(__file__).resolve().parent.parent / "numbers"

if str(NUMBERS_APP_DIR) not in getattr(_stdlib_numbers, "__path__", []):
    _stdlib_numbers.__path__ = [str(NUMBERS_APP_DIR)]
