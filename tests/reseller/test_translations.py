"""The Chinese catalogue: in step with the code, complete, and compiled.

English is the language of the msgids, so English pages need no catalogue; Chinese
is the default and every message has a translation, edited by hand in
locale/zh_Hans/LC_MESSAGES/django.po (see `make messages`).
"""

import gettext
import re
import shlex
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(settings.BASE_DIR)
LOCALE = "zh_Hans"
PO_PATH = BASE_DIR / "locale" / LOCALE / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
FIX = (
    "Run `make messages`, translate every new entry (empty msgstr or marked fuzzy) in "
    f"{PO_PATH.relative_to(BASE_DIR)}, then run `make messages` again to compile it."
)
# Kept out of the scanned copy: they hold no product strings, or are not ours.
NOT_SCANNED = {".git", ".venv", "locale", "staticfiles", "media", "private_media", "tests"}


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def shown(keys):
    return "\n".join(f"  {msgid!r}" for _, msgid, _ in sorted(keys, key=lambda k: k[1]))


def makemessages_flags():
    """The options `make messages` passes to makemessages, read from the Makefile."""
    makefile = (BASE_DIR / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(r"^MAKEMESSAGES_FLAGS\s*:=(.*)$", makefile, re.MULTILINE)
    assert match, "The Makefile no longer defines MAKEMESSAGES_FLAGS for `make messages`."
    return shlex.split(match.group(1))


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO_PATH))


def test_the_catalogue_holds_exactly_the_messages_the_code_uses(tmp_path_factory, catalogue):
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed; CI installs it.")
    # makemessages writes into ./locale, so run it in a copy of the project whose
    # source folders are links to the real ones and whose catalogue is a copy.
    copy = tmp_path_factory.mktemp("project")
    for item in BASE_DIR.iterdir():
        if item.name not in NOT_SCANNED:
            (copy / item.name).symlink_to(item, target_is_directory=item.is_dir())
    (copy / PO_PATH.relative_to(BASE_DIR)).parent.mkdir(parents=True)
    shutil.copy(PO_PATH, copy / PO_PATH.relative_to(BASE_DIR))

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        call_command("makemessages", *makemessages_flags(), "--symlinks", verbosity=0)
    fresh = polib.pofile(str(copy / PO_PATH.relative_to(BASE_DIR)))

    committed = {key(e) for e in catalogue if not e.obsolete}
    wanted = {key(e) for e in fresh if not e.obsolete}
    new, gone = wanted - committed, committed - wanted
    assert not new and not gone, (
        "The catalogue is behind the code.\n"
        + (f"New messages in the code:\n{shown(new)}\n" if new else "")
        + (f"Messages the code no longer uses:\n{shown(gone)}\n" if gone else "")
        + FIX
    )


def test_every_message_has_a_chinese_translation(catalogue):
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]

    assert missing == [], (
        f"Untranslated or fuzzy:\n{shown((None, m, None) for m in missing)}\n{FIX}"
    )
    assert len(catalogue) > 100


def test_the_catalogue_keeps_no_obsolete_entries(catalogue):
    assert [e.msgid for e in catalogue.obsolete_entries()] == [], FIX


def test_the_catalogue_declares_chinese_plural_forms(catalogue):
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert catalogue.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_the_compiled_catalogue_matches_its_source(catalogue):
    with MO_PATH.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)._catalog
    expected = {}
    for entry in catalogue:
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(msgid, int(index))] = text
        else:
            expected[msgid] = entry.msgstr
    compiled.pop("", None)  # the header

    stale = sorted(str(k) for k in expected if compiled.get(k) != expected[k])
    extra = sorted(str(k) for k in compiled.keys() - expected.keys())
    assert stale == [] and extra == [], (
        f"{MO_PATH.relative_to(BASE_DIR)} is out of date (differs for {stale + extra}); "
        "run `make messages` to compile it."
    )
