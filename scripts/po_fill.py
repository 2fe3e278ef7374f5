"""Fill translations into a catalogue and report what is still missing.

    python scripts/po_fill.py zh_Hans translations.tsv   # msgid<TAB>msgstr per line
    python scripts/po_fill.py zh_Hans --missing          # list untranslated msgids

In the TSV, write a newline inside a message as \\n. The English catalogue needs
no file: `make messages` copies each msgid to msgstr there.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogue(locale: str) -> polib.POFile:
    po = polib.pofile(str(ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"), wrapwidth=0)
    po.metadata.update(
        {
            "Project-Id-Version": "reseller-portal",
            "Language": locale,
            "Plural-Forms": "nplurals=1; plural=0;"
            if locale == "zh_Hans"
            else "nplurals=2; plural=(n != 1);",
        }
    )
    po.metadata_is_fuzzy = False
    return po


def untranslated(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]


def main(argv: list[str]) -> int:
    locale, source = argv[1], argv[2]
    po = catalogue(locale)
    if source != "--missing":
        pairs = {}
        for line in Path(source).read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                msgid, msgstr = line.split("\t", 1)
                pairs[msgid.replace("\\n", "\n")] = msgstr.replace("\\n", "\n")
        for entry in po:
            if entry.msgid in pairs:
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: pairs[entry.msgid]}
                else:
                    entry.msgstr = pairs[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
        po.save()
    for entry in untranslated(po):
        print(entry.msgid.replace("\n", "\\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
