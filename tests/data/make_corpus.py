"""Generate the bad-file corpus for tests/io/test_corpus.py (roster imports).

Run from the repository root: ``python tests/data/make_corpus.py``. The outputs are
committed, so tests never depend on running this. Deterministic: same bytes each run
(zip timestamps fixed). ``legacy.xls`` needs the ``xlwt`` package (the only .xls writer;
not a project dependency): ``pip install --target /tmp/xlwtlib xlwt`` and run with
``PYTHONPATH=/tmp/xlwtlib``; without it the committed file is left as it is.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import struct
import zipfile
from pathlib import Path

import xlsxwriter

OUT = Path(__file__).parent / "corpus"
HEADER = ["姓名", "手机号", "微信号", "城市", "入群时间", "所在群", "标签"]
ROWS = [
    ["张三", "13800138000", "zhangsan_01", "北京", "2024-03-05", "读书会一群", "读书、AI"],
    ["李四", "13900139000", "lisi_002", "上海", "2024-04-01", "读书会一群", "跑步"],
    ["王五", "13700137000", "wangwu_03", "广州", "2024-05-20", "创业交流群", "创业"],
]
FIXED = (2024, 1, 1, 0, 0, 0)


def csv_text(rows: list[list[str]], sep: str = ",") -> str:
    return "".join(sep.join(r) + "\r\n" for r in rows)


def write(name: str, data: bytes) -> None:
    (OUT / name).write_bytes(data)


def xlsx(name: str, build: object) -> None:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": dt.datetime(2024, 1, 1)})
    build(wb)  # type: ignore[operator]
    wb.close()
    write(name, _normalise_zip(buf.getvalue()))


def _normalise_zip(data: bytes, patch: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a zip with fixed timestamps (reproducible bytes), optionally replacing parts."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = (patch or {}).get(info.filename, src.read(info.filename))
            z.writestr(zipfile.ZipInfo(info.filename, FIXED), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def simple(ws: object, rows: list[list[object]], start: int = 0) -> None:
    for i, r in enumerate(rows):
        ws.write_row(start + i, 0, r)  # type: ignore[attr-defined]


def main() -> None:  # noqa: PLR0915 - one file per stanza reads best
    OUT.mkdir(exist_ok=True)
    base = [HEADER, *ROWS]

    # ---- encodings and delimiters --------------------------------------------------
    write("utf8_bom.csv", codecs.BOM_UTF8 + csv_text(base).encode("utf-8"))
    write("utf8_nobom.csv", csv_text(base).encode("utf-8"))
    write("gbk.csv", csv_text(base).encode("gbk"))
    rare = [HEADER, ["𠮷田一郎", "13600136000", "yoshida_1", "深圳", "2024-06-01", "读书会一群", "𠮷"],
            *ROWS[:1]]
    write("gb18030_rare.csv", csv_text(rare).encode("gb18030"))
    write("utf16le_tab.txt", codecs.BOM_UTF16_LE + csv_text(base, "\t").encode("utf-16-le"))
    write("utf16be_tab.txt", codecs.BOM_UTF16_BE + csv_text(base, "\t").encode("utf-16-be"))
    write("semicolon.csv", csv_text(base, ";").encode("utf-8"))
    write("pipe.csv", csv_text(base, "|").encode("utf-8"))
    write("tsv_saved_as.xls", csv_text(base, "\t").encode("gbk"))
    write("csv_renamed.xlsx", csv_text(base).encode("utf-8"))

    # ---- layout -------------------------------------------------------------------
    def merged_title(wb: object) -> None:
        ws = wb.add_worksheet("名单")  # type: ignore[attr-defined]
        ws.merge_range(0, 0, 0, 6, "2024 年读书会成员名单（内部资料）", wb.add_format({"bold": True}))  # type: ignore[attr-defined]
        ws.write_row(1, 0, ["导出时间：2024-07-01"])
        simple(ws, base, start=3)

    xlsx("merged_title.xlsx", merged_title)

    def blank_total(wb: object) -> None:
        ws = wb.add_worksheet()  # type: ignore[attr-defined]
        simple(ws, [HEADER, ROWS[0], [], ROWS[1], ["", "", "", ""], ROWS[2], ["合计", "", "", "3 人"],
                    ["总计：3"]])

    xlsx("blank_and_total_rows.xlsx", blank_total)

    def header_only(wb: object) -> None:
        simple(wb.add_worksheet(), [HEADER])  # type: ignore[attr-defined]

    xlsx("header_only.xlsx", header_only)
    write("no_header.csv", csv_text([["a", "b", "c"], ["1", "2", "3"], ["x", "y", "z"]]).encode())

    def extra_columns(wb: object) -> None:
        ws = wb.add_worksheet()  # type: ignore[attr-defined]
        simple(ws, [["序号", *HEADER, "生日", "喜欢的书"], *[[i + 1, *r, "1990-01-0" + str(i + 1), "三体"]
                                                            for i, r in enumerate(ROWS)]])

    xlsx("extra_columns.xlsx", extra_columns)

    def two_sheets(wb: object) -> None:
        simple(wb.add_worksheet("说明"), [["本表用于导入成员"]])  # type: ignore[attr-defined]
        simple(wb.add_worksheet("成员"), base)  # type: ignore[attr-defined]

    xlsx("two_sheets.xlsx", two_sheets)

    # ---- values Excel damages -----------------------------------------------------
    def float_phones(wb: object) -> None:
        ws = wb.add_worksheet()  # type: ignore[attr-defined]
        ws.write_row(0, 0, HEADER)
        for i, r in enumerate(ROWS, start=1):
            ws.write_row(i, 0, r)
            ws.write_number(i, 1, float(r[1]))  # a number cell, as Excel stores typed digits
        ws.write_row(4, 0, ["赵六", "+86 135-0013-5000", "zhaoliu_4"])
        ws.write_row(5, 0, ["钱七", "８６１３３００１３３０００", "qianqi_5"])  # full-width digits, 86 prefix

    xlsx("float_phones.xlsx", float_phones)
    sci = [HEADER, ["张三", "1.38001E+10", "zs_0001"], ["李四", "13900139000", "ls_0002"],
           ["王五", "1.37E+10", "ww_0003"]]
    write("sci_phones.csv", csv_text(sci).encode("utf-8-sig"))

    def serial_dates(wb: object) -> None:
        ws = wb.add_worksheet()  # type: ignore[attr-defined]
        ws.write_row(0, 0, ["姓名", "手机号", "入群时间", "付费到期"])
        ws.write_row(1, 0, ["张三", "13800138000"])
        ws.write_number(1, 2, 45356)  # 2024-03-05 as a plain serial number
        ws.write_datetime(1, 3, dt.datetime(2025, 1, 31), wb.add_format({"num_format": "yyyy-mm-dd"}))  # type: ignore[attr-defined]
        ws.write_row(2, 0, ["李四", "13900139000", "45383.0", "20250301"])

    xlsx("serial_dates.xlsx", serial_dates)
    cn_dates = [["姓名", "手机号", "入群时间"], ["张三", "13800138000", "2024年3月5日"],
                ["李四", "13900139000", "2024.3.5"], ["王五", "13700137000", "2024/03/05"],
                ["赵六", "13500135000", "2024-3-9"], ["钱七", "13300133000", "2024-13-40"],
                ["孙八", "13200132000", "去年春天"]]
    write("chinese_dates.csv", csv_text(cn_dates).encode("utf-8"))
    dups = [HEADER, ROWS[0], ROWS[1], ["张三（重复）", "138-0013-8000", "", "北京", "", "", ""],
            ["李四 2", "", "LISI_002", "", "", "", ""], ROWS[2]]
    write("duplicate_rows.csv", csv_text(dups).encode("utf-8"))

    def bad_values(wb: object) -> None:
        simple(wb.add_worksheet(), [  # type: ignore[attr-defined]
            ["姓名", "手机号", "性别", "角色", "状态"],
            ["张三", "13800138000", "男", "骨干", "在群"],
            ["李四", "12345", "女", "成员", "在群"],
            ["王五", "13700137000", "不详的", "成员", "在群"],
            ["赵六", "13500135000", "男", "总司令", "在群"],
            ["", "13300133000", "女", "成员", "在群"],
            ["钱七" * 60, "13200132000", "女", "成员", "在群"],
            ["孙八", "13100131000", "F", "管理员", "已退出"],
        ])

    xlsx("bad_values.xlsx", bad_values)

    def emoji(wb: object) -> None:
        simple(wb.add_worksheet(), [  # type: ignore[attr-defined]
            ["姓名", "手机号", "群昵称", "所在群", "自我介绍", "标签"],
            ["🎉小美", "13800138000", "小美🌸", "读书会一群", "喜欢𠮷野家🍜", "美食、🎉"],
            ["𠮷田", "13900139000", "𠀀𪚥", "读书会一群", "生僻字 𪚥𪚥", "生僻字"],
        ])

    xlsx("emoji_rare.xlsx", emoji)

    # ---- CSV syntax ----------------------------------------------------------------
    write("unbalanced_quote.csv", (csv_text(base[:2]) + '"李四,13900139000,lisi_002,上海\r\n'
                                   + csv_text(ROWS[2:])).encode("utf-8"))
    ctl = [HEADER, ["张\x00三", "13800138000", "zs_01\x07", "北京", "", "", ""], ROWS[1]]
    write("control_chars.csv", csv_text(ctl).encode("utf-8"))
    long_intro = "很长的自我介绍。" * 6250  # 50,000 characters
    write("long_cell.csv", csv_text([["姓名", "手机号", "自我介绍"], ["张三", "13800138000", long_intro],
                                     ["李四", "13900139000", "短"]]).encode("utf-8"))

    # ---- damaged and hostile files -------------------------------------------------
    write("empty.csv", b"")
    good = (OUT / "merged_title.xlsx").read_bytes()
    write("truncated.xlsx", good[: len(good) // 2])
    write("html_saved.xls", (
        "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\">\r\n<head><meta charset=\"utf-8\"></head>"
        "<body><table><tr><td>姓名</td><td>手机号</td></tr><tr><td>张三</td><td>13800138000</td></tr>"
        "</table></body></html>\r\n").encode())
    write("pdf_renamed.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    write("ole_garbage.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4)
    write("bad_encoding.csv", "姓名,手机号\r\n张三,138\r\n".encode() + b"\x80\xff\xfe\x81,1\r\n")

    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("word/document.xml", FIXED), "<w:document/>")
    write("not_a_workbook.xlsx", zbuf.getvalue())

    lol = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{"&lol" + (str(i - 1) if i > 1 else "") + ";"}{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 9}">'
        for i in range(1, 10)
    ]
    laughs = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst [' + "".join(lol)
              + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
              'uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    src = zipfile.ZipFile(io.BytesIO(good))
    parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    if "xl/sharedStrings.xml" not in parts:
        raise SystemExit("expected shared strings in merged_title.xlsx")
    write("billion_laughs.xlsx", _normalise_zip(good, {"xl/sharedStrings.xml": laughs.encode()}))

    # a real (small) compression bomb: a 24 MiB sheet part that deflates to ~24 KiB
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData/>' + b" " * (24 << 20) + b"</worksheet>")
    write("zip_bomb_ratio.xlsx", _normalise_zip(good, {"xl/worksheets/sheet1.xml": sheet}))
    # a central directory that declares a ~4 GiB part in a small file
    write("zip_bomb_declared.xlsx", _declare_huge(_normalise_zip(good), "xl/worksheets/sheet1.xml", 4 << 30))

    # ---- legacy .xls (needs xlwt) --------------------------------------------------
    try:
        import xlwt  # type: ignore[import-untyped]
    except ImportError:
        print("xlwt not installed: legacy.xls left as committed")
    else:
        book = xlwt.Workbook(encoding="utf-8")
        ws = book.add_sheet("成员")
        date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        for c, h in enumerate(HEADER):
            ws.write(0, c, h)
        for r, row in enumerate(ROWS, start=1):
            for c, v in enumerate(row):
                if c == 1:
                    ws.write(r, c, float(v))  # phones as numbers, as old sheets hold them
                elif c == 4:
                    ws.write(r, c, dt.datetime.strptime(v, "%Y-%m-%d"), date_style)
                else:
                    ws.write(r, c, v)
        buf = io.BytesIO()
        book.save(buf)
        write("legacy.xls", buf.getvalue())
    print(f"{len(list(OUT.iterdir()))} files in {OUT}")


def _declare_huge(data: bytes, name: str, size: int) -> bytes:
    """Patch the central directory entry of ``name`` to claim ``size`` uncompressed bytes
    (as ZIP64 would); the data itself stays tiny."""
    buf = bytearray(data)
    target = name.encode()
    pos = buf.find(b"PK\x01\x02")
    while pos != -1:
        n_len, e_len, c_len = struct.unpack_from("<HHH", buf, pos + 28)
        fname = bytes(buf[pos + 46 : pos + 46 + n_len])
        if fname == target:
            struct.pack_into("<I", buf, pos + 24, min(size, 0xFFFFFFFE))
            return bytes(buf)
        pos = buf.find(b"PK\x01\x02", pos + 46 + n_len + e_len + c_len)
    raise SystemExit(f"{name} not found in central directory")


if __name__ == "__main__":
    main()
