"""Fill the Traditional Chinese catalogue from the Simplified one.

The Simplified Chinese catalogue (locale/zh_Hans) is the one people translate; this
script writes every msgstr of locale/zh_Hant by converting the Simplified translation
with OpenCC's Taiwan-standard character conversion ("s2tw": 為, 群, 眾, 啟, 審核 as
Traditional readers write them; no phrase substitution).

Run it after `manage.py makemessages` and before `manage.py compilemessages`
(`make messages` does all three). It needs the packages in requirements-dev.txt
(opencc-python-reimplemented, polib), not GNU gettext.

Exit status 1 when a Simplified entry is missing, empty or fuzzy: that entry is left
empty in zh_Hant too, so translate it in zh_Hans and run the script again.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polib
from opencc import OpenCC

BASE_DIR = Path(__file__).resolve().parent.parent
HANS_PO = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
HANT_PO = BASE_DIR / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"
WRAP_WIDTH = 79
PLURAL_FORMS = "nplurals=1; plural=0;"

# Python %-format placeholders (named or not) and Django template variables.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdif%]|\{\{.*?\}\}")


def key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def is_translated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def convert(cc: OpenCC, text: str) -> str:
    """Convert text to Traditional characters; placeholders must come through unchanged."""
    result = cc.convert(text)
    if PLACEHOLDER.findall(result) != PLACEHOLDER.findall(text):
        raise ValueError(f"OpenCC changed a placeholder: {text!r} -> {result!r}")
    return result


def fill(hans_path: Path = HANS_PO, hant_path: Path = HANT_PO) -> list[str]:
    """Write zh_Hant from zh_Hans; return the msgids that had no Simplified translation."""
    cc = OpenCC("s2tw")
    hans = polib.pofile(str(hans_path), wrapwidth=WRAP_WIDTH)
    hant = polib.pofile(str(hant_path), wrapwidth=WRAP_WIDTH)
    source = {key(e): e for e in hans if not e.obsolete}

    hant.header = hans.header.replace("Simplified", "Traditional")
    hant.metadata_is_fuzzy = False
    for field in ("Project-Id-Version", "PO-Revision-Date", "Last-Translator"):
        if field in hans.metadata:
            hant.metadata[field] = hans.metadata[field]
    hant.metadata["Language-Team"] = "Traditional Chinese"
    hant.metadata["Language"] = "zh_Hant"
    hant.metadata["Plural-Forms"] = PLURAL_FORMS

    missing = []
    for entry in hant:
        if entry.obsolete:
            continue
        src = source.get(key(entry))
        if src is None or not is_translated(src):
            missing.append(entry.msgid)
            entry.msgstr = ""
            if entry.msgid_plural:
                entry.msgstr_plural = {0: ""}
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: convert(cc, src.msgstr_plural[0])}
        else:
            entry.msgstr = convert(cc, src.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    hant.save(str(hant_path))
    return missing


def main() -> int:
    missing = fill()
    rel = HANT_PO.relative_to(BASE_DIR)
    if missing:
        print(f"{rel}: {len(missing)} entries left empty; translate them in zh_Hans first:", file=sys.stderr)
        for msgid in missing:
            print(f"  {msgid!r}", file=sys.stderr)
        return 1
    print(f"{rel}: filled from zh_Hans with OpenCC s2tw.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
