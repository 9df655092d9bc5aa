"""Write the Traditional Chinese user guides (templates/help/zh_hant/) from the Simplified ones.

The guides (templates/help/<role>.html) are Chinese documents, written whole in the template
rather than as translated strings. This script converts each with the converter
scripts/fill_hant.py uses for the catalogues (OpenCC "s2tw", characters only), so a reader
who chose Traditional Chinese gets the same guide; template tags and file names carry no
Chinese and come through unchanged. Run it after editing a guide (tests/test_help.py fails
while a Traditional guide differs from the conversion of its Simplified one).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fill_hant import OpenCC

HELP = Path(__file__).resolve().parent.parent / "templates" / "help"
GUIDES = ("member", "leader", "secretary", "admin")


def converted(guide: str) -> str:
    """The Traditional guide: the Simplified one converted, under a line that says so."""
    source = (HELP / f"{guide}.html").read_text(encoding="utf-8")
    header = f"{{# Made by scripts/fill_help_hant.py from templates/help/{guide}.html: edit that one. #}}"
    return header + OpenCC("s2tw").convert(source)


def main() -> None:
    (HELP / "zh_hant").mkdir(exist_ok=True)
    for guide in GUIDES:
        target = HELP / "zh_hant" / f"{guide}.html"
        target.write_text(converted(guide), encoding="utf-8")
        print(target.relative_to(HELP.parent.parent))


if __name__ == "__main__":
    main()
