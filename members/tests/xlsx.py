"""Building roster workbooks for tests."""

import io

from openpyxl import Workbook

from members.resources import COLUMNS

HEADERS = list(COLUMNS.values())


def roster_row(**values) -> dict:
    row = {
        "工号": "N0001",
        "姓名": "新党员",
        "性别": "男",
        "出生日期": "1990-01-02",
        "党员类别": "正式党员",
        "入党日期": "2015-07-01",
        "转正日期": "2016-07-01",
        "岗位": "技术员",
        "职务": "",
        "手机": "13800000000",
        "邮箱": "",
        "党支部": "第一党支部",
        "党小组": "第一党小组",
        "在册": "是",
    }
    row.update(values)
    return row


def workbook(rows: list[dict], headers: list[str] | None = None, title: str = "花名册") -> io.BytesIO:
    headers = headers or HEADERS
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer
