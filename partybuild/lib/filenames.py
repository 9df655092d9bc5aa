"""The names of downloaded files, as people file them."""

import re

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download_name(*parts: object, extension: str) -> str:
    """Parts joined by "-" (“2026年度党员量化考核-第一党支部-排名.xlsx”, “党性教育报告单-张三-
    2026年第4季度.docx”), without the characters a file name cannot hold on any system."""
    name = _FORBIDDEN.sub("_", "-".join(str(part) for part in parts if part not in (None, ""))).strip(". ")
    return f"{name or '_'}.{extension}"
