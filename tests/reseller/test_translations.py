"""The catalogues: Chinese complete, English complete, compiled files in step with the sources."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALES = ["zh_Hans", "en"]


def catalogue_path(locale, ext):
    return Path(settings.BASE_DIR) / "locale" / locale / "LC_MESSAGES" / f"django.{ext}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale):
    po = polib.pofile(str(catalogue_path(locale, "po")))

    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]

    assert missing == []
    assert len(po) > 100


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_its_source(locale):
    po = polib.pofile(str(catalogue_path(locale, "po")))
    with catalogue_path(locale, "mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)

    for entry in po:
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled._catalog.get(key) == entry.msgstr, entry.msgid
