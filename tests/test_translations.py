"""The committed translation catalogues are complete and are what Django serves.

Simplified Chinese (zh_Hans) is translated by hand; Traditional Chinese (zh_Hant) is
filled from it by scripts/fill_hant.py; `make messages` refreshes both and compiles
the .mo files, which are committed so a machine without gettext serves them.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# Django language code -> gettext locale folder.
LANGUAGES = {"zh-hans": "zh_Hans", "zh-hant": "zh_Hant"}
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdif]|\{\{.*?\}\}")
# Characters that exist only in Simplified or only in Traditional Chinese.
SIMPLIFIED_ONLY = set("党组册员岗评议级书记录导时间审")
TRADITIONAL_ONLY = set("黨組冊員崗評議級書記錄導時間審")


def catalogue(folder: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / folder / "LC_MESSAGES" / "django.po"))


def entries(folder: str) -> list[polib.POEntry]:
    return [e for e in catalogue(folder) if not e.obsolete]


def entry_id(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def served(entry: polib.POEntry, n: int = 1) -> str:
    """What Django's gettext machinery returns for the entry in the active language."""
    if entry.msgid_plural:
        if entry.msgctxt:
            return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
        return translation.ngettext(entry.msgid, entry.msgid_plural, n)
    if entry.msgctxt:
        return translation.pgettext(entry.msgctxt, entry.msgid)
    return translation.gettext(entry.msgid)


@pytest.mark.parametrize("folder", LANGUAGES.values())
def test_catalogue_header(folder):
    po = catalogue(folder)
    assert po.metadata["Language"] == folder
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert not po.metadata_is_fuzzy
    assert (LOCALE_DIR / folder / "LC_MESSAGES" / "django.mo").is_file()


@pytest.mark.parametrize("folder", LANGUAGES.values())
def test_every_entry_is_translated_and_not_fuzzy(folder):
    found = entries(folder)
    assert len(found) > 100, "the catalogue looks truncated"
    untranslated = [entry_id(e) for e in found if not all(translations(e))]
    fuzzy = [entry_id(e) for e in found if "fuzzy" in e.flags]
    assert not untranslated, f"{folder}: untranslated entries (run `make messages` and translate zh_Hans)"
    assert not fuzzy, f"{folder}: fuzzy entries (check the translation and drop the flag)"


@pytest.mark.parametrize("folder", LANGUAGES.values())
def test_placeholders_are_kept(folder):
    wrong = []
    for entry in entries(folder):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in translations(entry):
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry.msgid, text))
    assert not wrong


def test_catalogues_hold_the_same_entries():
    hans = {(e.msgctxt, e.msgid, e.msgid_plural) for e in entries("zh_Hans")}
    hant = {(e.msgctxt, e.msgid, e.msgid_plural) for e in entries("zh_Hant")}
    assert hans == hant


def test_traditional_is_the_conversion_of_simplified():
    """zh_Hant is exactly what scripts/fill_hant.py makes of zh_Hans (run `make messages`)."""
    opencc = pytest.importorskip("opencc")
    cc = opencc.OpenCC("s2tw")
    hans = {(e.msgctxt, e.msgid, e.msgid_plural): translations(e) for e in entries("zh_Hans")}
    stale = [
        entry_id(e)
        for e in entries("zh_Hant")
        if translations(e) != [cc.convert(t) for t in hans[(e.msgctxt, e.msgid, e.msgid_plural)]]
    ]
    assert not stale


@pytest.mark.parametrize(("language", "folder"), LANGUAGES.items())
def test_compiled_catalogue_serves_every_entry(language, folder):
    """The committed .mo files say what the .po files say."""
    mismatched = []
    with translation.override(language):
        for entry in entries(folder):
            if entry.msgid_plural:
                got = {served(entry, n) for n in (1, 2, 5)}
                want = {translations(entry)[0]}
            else:
                got, want = served(entry), entry.msgstr
            if got != want:
                mismatched.append((entry_id(entry), got, want))
    assert not mismatched, "stale .mo files: run `make messages` (or compilemessages)"


def test_key_strings_in_simplified_and_traditional():
    cases = {
        "Party branch": ("党支部", "黨支部"),
        "Party group": ("党小组", "黨小組"),
        "Roster": ("花名册", "花名冊"),
        "Probationary member": ("预备党员", "預備黨員"),
        "Branch secretary": ("支部书记", "支部書記"),
    }
    for msgid, (simplified, traditional) in cases.items():
        with translation.override("zh-hans"):
            assert translation.gettext(msgid) == simplified
        with translation.override("zh-hant"):
            assert translation.gettext(msgid) == traditional
        with translation.override("en"):
            assert translation.gettext(msgid) == msgid

    with translation.override("zh-hans"):
        hello = translation.gettext("Hello, %(name)s") % {"name": "王伟"}
        records = translation.ngettext("%(counter)s record", "%(counter)s records", 3) % {"counter": 3}
    assert hello == "王伟，您好"
    assert records == "共 3 条记录"


def test_default_language_is_simplified_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("Log in") == "登录"


@pytest.mark.parametrize(
    ("folder", "own", "other"),
    [("zh_Hans", SIMPLIFIED_ONLY, TRADITIONAL_ONLY), ("zh_Hant", TRADITIONAL_ONLY, SIMPLIFIED_ONLY)],
)
def test_script_of_each_catalogue(folder, own, other):
    text = "".join(t for e in entries(folder) for t in translations(e))
    assert own & set(text), f"{folder} shows none of its own characters"
    assert not other & set(text), f"{folder} has characters of the other script: {sorted(other & set(text))}"
