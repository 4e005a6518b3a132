"""Open a spreadsheet the operator picked, safely, and stream its rows.

Every import goes through :func:`open_table`. It decides what the file *is* from its
bytes, not its name (Chinese office software happily saves CSV as ``.xls`` and HTML as
``.xls``), refuses hostile or damaged files *before* any parser sees them, and hands
back a :class:`TableSource` whose ``rows()`` yields raw cell values row by row.

Safety checks, in order: the file exists and is a file; it is not empty and not larger
than :data:`MAX_FILE_BYTES`; a zip (``.xlsx``) has a readable central directory whose
declared sizes and compression ratios are sane (zip bombs are refused without
inflating anything), its ``workbook.xml`` parses under defusedxml, and no XML part has a
DOCTYPE (entity expansion such as "billion laughs" needs one). Only then does
python-calamine (Rust, ~12x faster than openpyxl) parse the workbook.

CSV and text files are decoded as UTF-8 (with or without BOM), UTF-16 (Excel's
"Unicode text", tab-separated) or GB18030 (a superset of GBK, the Chinese Windows/WPS
default) and streamed with bounded memory; the delimiter is sniffed among
``,`` TAB ``;`` ``|``.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from sqdesk.core.errors import BadFileError, ValidationError

MAX_FILE_BYTES: int = 256 * 1024 * 1024
"""Refuse larger files before parsing (a 100,000-member roster is ~10 MB as .xlsx)."""

MAX_UNCOMPRESSED_BYTES: int = 1024 * 1024 * 1024
"""Total declared uncompressed size of an .xlsx above which it is treated as a zip bomb."""

MAX_RATIO: int = 200
"""Compression ratio of one zip member (over :data:`RATIO_MIN_BYTES`) that marks a bomb."""

RATIO_MIN_BYTES: int = 16 * 1024 * 1024
MAX_ZIP_ENTRIES: int = 10_000
CSV_FIELD_LIMIT: int = 1_048_576
"""Longest CSV cell accepted (characters); longer almost always means an unclosed quote."""

_SAMPLE_BYTES = 1024 * 1024
_CHUNK = 1024 * 1024
_PROLOG_LIMIT = 64 * 1024
DELIMITERS = (",", "\t", ";", "|")
_DELIM_NAMES = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线"}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_SAVE_AS = "请在 Excel 或 WPS 中打开它，另存为「Excel 工作簿 (.xlsx)」后再导入"

Kind = Literal["xlsx", "xls", "csv"]

if csv.field_size_limit() < CSV_FIELD_LIMIT:
    csv.field_size_limit(CSV_FIELD_LIMIT)


class TableSource:
    """An opened, safety-checked table file. Use :func:`open_table` to get one."""

    path: Path
    kind: Kind
    encoding: str | None
    delimiter: str | None
    notes: list[str]

    def __init__(
        self,
        path: Path,
        kind: Kind,
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        notes: list[str] | None = None,
        sheets: list[str] | None = None,
    ) -> None:
        self.path = path
        self.kind = kind
        self.encoding = encoding
        self.delimiter = delimiter
        self.notes = notes or []
        self._sheets = sheets if sheets is not None else [path.stem]
        self._workbook: Any = None

    def __repr__(self) -> str:
        return f"TableSource({self.path.name!r}, kind={self.kind!r}, encoding={self.encoding!r})"

    # -- sheets ------------------------------------------------------------------
    def sheet_names(self) -> list[str]:
        """Visible worksheets in workbook order (a CSV has one, named after the file)."""
        return list(self._sheets)

    def _sheet(self, sheet: str | None) -> str:
        if sheet is None or sheet == "":
            if not self._sheets:
                raise BadFileError("工作簿里没有可读取的工作表", file=self.path)
            return self._sheets[0]
        if sheet not in self._sheets:
            have = "、".join(f"「{s}」" for s in self._sheets) or "（无）"
            raise BadFileError(f"找不到工作表「{sheet}」；文件里的工作表有：{have}", file=self.path)
        return sheet

    # -- rows ----------------------------------------------------------------------
    def rows(self, sheet: str | None = None, *, raw_empty: bool = False) -> Iterator[list[object]]:
        """Raw cell values, row by row; row *i* (0-based) is Excel row *i + 1*.

        Empty cells are ``None`` (with ``raw_empty=True`` they stay the ``""`` the readers
        give: one pass less over every row, for a caller that treats both alike).
        Spreadsheet cells keep their type (str, int, float, bool, date, datetime, time);
        CSV cells are strings. Leading blank rows of a sheet are yielded as empty lists so
        that row numbers stay those the operator sees.
        """
        name = self._sheet(sheet)
        if self.kind == "csv":
            return self._csv_rows(raw_empty)
        return self._book_rows(name, raw_empty)

    def _book_rows(self, name: str, raw_empty: bool = False) -> Iterator[list[object]]:
        import python_calamine

        try:
            if self._workbook is None:
                self._workbook = python_calamine.CalamineWorkbook.from_path(str(self.path))
            data = self._workbook.get_sheet_by_name(name)
            it = data.iter_rows()
        except Exception as exc:  # calamine raises its own exception family
            raise _damaged(self.path, exc) from exc
        return _book_row_iter(self.path, it, raw_empty)

    def _csv_rows(self, raw_empty: bool = False) -> Iterator[list[object]]:
        assert self.encoding is not None and self.delimiter is not None
        return _csv_row_iter(self.path, self.encoding, self.delimiter, raw_empty)

    def close(self) -> None:
        if self._workbook is not None:
            try:
                self._workbook.close()
            except Exception:  # noqa: BLE001 - closing a read-only handle cannot lose data
                pass
            self._workbook = None

    def __enter__(self) -> TableSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _book_row_iter(path: Path, it: Iterator[list[Any]], raw_empty: bool = False) -> Iterator[list[object]]:
    try:
        if raw_empty:
            yield from it
            return
        for row in it:
            # calamine gives "" for an empty cell; list.index finds them at C speed (4x
            # faster than a comprehension over every cell on a 100k-row roster)
            try:
                i = row.index("")
                while True:
                    row[i] = None
                    i = row.index("", i + 1)
            except ValueError:
                pass
            yield row
    except BadFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged file
        raise _damaged(path, exc) from exc


def _csv_row_iter(path: Path, encoding: str, delimiter: str, raw_empty: bool = False) -> Iterator[list[object]]:
    record = 0
    try:
        with path.open("r", encoding=encoding, newline="", errors="strict") as fh:
            reader = csv.reader(fh, delimiter=delimiter, strict=True)
            while True:
                start_line = reader.line_num + 1
                try:
                    row: list[Any] = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise _csv_error(path, record + 1, start_line, exc) from exc
                record += 1
                yield row if raw_empty else [c if c != "" else None for c in row]
    except UnicodeDecodeError as exc:
        raise BadFileError(
            f"第 {record + 1} 行附近有无法按 {encoding} 解码的字节；"
            "文件可能混用了多种编码，请用 Excel/WPS 另存为「CSV UTF-8」或 .xlsx",
            file=path,
        ) from exc
    except OSError as exc:
        raise BadFileError(f"读取时出错：{exc.strerror or exc}", file=path) from exc


def _csv_error(path: Path, record: int, line: int, exc: csv.Error) -> BadFileError:
    text = str(exc)
    if "field larger than field limit" in text:
        why = (
            f"单元格超过 {CSV_FIELD_LIMIT:,} 个字符，多半是从这一行（文本第 {line} 行）开始的"
            "引号没有配对，后面的内容都被吞进了一个单元格"
        )
    elif "unexpected end of data" in text or "EOF" in text:
        why = f"引号不配对：从这一行（文本第 {line} 行）开始的引号直到文件末尾都没有闭合"
    else:
        why = f"CSV 格式错误（文本第 {line} 行附近，多半是引号不配对）：{text}"
    return BadFileError(why + "；请检查该行的英文双引号", file=path, row=record)


def _damaged(path: Path, exc: BaseException) -> BadFileError:
    import python_calamine

    if isinstance(exc, python_calamine.PasswordError):
        return BadFileError("工作簿设置了打开密码；请在 Excel/WPS 中取消密码后另存再导入", file=path)
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return BadFileError(f"文件已损坏或不是有效的 Excel 工作簿（{detail}）；{_SAVE_AS}", file=path)


# ---- open_table ---------------------------------------------------------------

def open_table(path: str | Path) -> TableSource:
    """Open and safety-check a table file; raise BadFileError naming it if it is bad."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError as exc:
        raise BadFileError("找不到这个文件", file=p) from exc
    except OSError as exc:
        raise BadFileError(f"无法访问：{exc.strerror or exc}", file=p) from exc
    if p.is_dir():
        raise BadFileError("这是一个文件夹，不是表格文件", file=p)
    if st.st_size == 0:
        raise BadFileError("文件是空的（0 字节）", file=p)
    if st.st_size > MAX_FILE_BYTES:
        raise BadFileError(
            f"文件有 {st.st_size / 1048576:.0f} MB，超过上限 {MAX_FILE_BYTES // 1048576} MB；"
            "请拆分后分批导入",
            file=p,
        )
    try:
        with p.open("rb") as fh:
            head = fh.read(_SAMPLE_BYTES)
    except PermissionError as exc:
        raise BadFileError("没有权限读取（文件可能正被 Excel/WPS 打开，请先关闭）", file=p) from exc
    except OSError as exc:
        raise BadFileError(f"无法读取：{exc.strerror or exc}", file=p) from exc

    ext = p.suffix.lower()
    if head.startswith(_ZIP_MAGICS):
        return _open_zip(p, ext)
    if head.startswith(_OLE_MAGIC):
        return _open_ole(p, ext, head)
    _refuse_markup(p, head)
    return _open_text(p, ext, head, st.st_size)


def _open_zip(p: Path, ext: str) -> TableSource:
    try:
        zf = zipfile.ZipFile(p)
    except zipfile.BadZipFile as exc:
        raise BadFileError(
            f"文件不完整或已损坏（压缩包结构无法读取：{exc}）；可能没有下载/复制完整，请重新获取原文件",
            file=p,
        ) from exc
    except Exception as exc:  # noqa: BLE001 - zipfile raises several kinds on garbage
        raise BadFileError(f"文件已损坏，无法读取压缩包结构（{exc}）", file=p) from exc
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        _check_zip_sizes(p, infos)
        if "xl/workbook.xml" not in names:
            if "xl/workbook.bin" in names:
                raise BadFileError(f"这是 Excel 二进制工作簿 (.xlsb)，暂不支持；{_SAVE_AS}", file=p)
            if "mimetype" in names or "content.xml" in names:
                raise BadFileError(f"这是 OpenDocument 表格 (.ods)，暂不支持；{_SAVE_AS}", file=p)
            if "word/document.xml" in names:
                raise BadFileError("这是 Word 文档，不是表格；请把表格复制到 Excel 后保存为 .xlsx", file=p)
            raise BadFileError("这是一个压缩包，但不是 Excel 工作簿（缺少 xl/workbook.xml）", file=p)
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                _check_xml_prolog(p, zf, info)
        sheets = _workbook_sheets(p, zf)
    notes = []
    if ext not in (".xlsx", ".xlsm"):
        notes.append(f"文件扩展名是 {ext or '（无）'}，但内容是 Excel 工作簿 (.xlsx)，已按 .xlsx 读取")
    return TableSource(p, "xlsx", notes=notes, sheets=sheets)


def _check_zip_sizes(p: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise BadFileError(f"压缩包内有 {len(infos)} 个部件，不像正常的工作簿，已拒绝读取", file=p)
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise BadFileError(
                f"文件内部件「{info.filename}」的压缩比达 {ratio:,.0f}:1（解压后 "
                f"{info.file_size / 1048576:,.0f} MB），疑似“压缩炸弹”，已拒绝读取",
                file=p,
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise BadFileError(
            f"文件解压后将有 {total / 1048576:,.0f} MB，超过上限 "
            f"{MAX_UNCOMPRESSED_BYTES // 1048576} MB，疑似“压缩炸弹”，已拒绝读取",
            file=p,
        )


_PROLOG_SKIP = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def _check_xml_prolog(p: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part whose prolog declares a DOCTYPE (entities need one). Reads only up to
    the root element (at most 64 KiB), so the check costs nothing on large sheets."""
    try:
        with zf.open(info) as fh:
            raw = fh.read(_PROLOG_LIMIT)
    except Exception as exc:  # noqa: BLE001 - zlib/CRC/unsupported-compression errors
        raise BadFileError(
            f"文件内部件「{info.filename}」已损坏，无法解压（{exc}）；请重新获取原文件", file=p
        ) from exc
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace")
    else:
        text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    pos = 0
    while True:
        m = _PROLOG_SKIP.match(text, pos)
        if not m:
            break
        pos = m.end()
    rest = text[pos : pos + 16].upper()
    if rest.startswith(("<!DOCTYPE", "<!ENTITY")):
        raise BadFileError(
            f"文件内部件「{info.filename}」含有 DOCTYPE/实体声明，可能是恶意构造的文件"
            "（如“十亿笑声”攻击），已拒绝读取",
            file=p,
        )
    if pos >= len(text) and len(raw) >= _PROLOG_LIMIT:
        raise BadFileError(f"文件内部件「{info.filename}」的 XML 开头异常，已拒绝读取", file=p)


def _workbook_sheets(p: Path, zf: zipfile.ZipFile) -> list[str]:
    """Visible worksheet names from workbook.xml, parsed with defusedxml."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        with zf.open("xl/workbook.xml") as fh:
            data = fh.read(16 * 1024 * 1024)
        root = DET.fromstring(data)
    except DefusedXmlException as exc:
        raise BadFileError(f"工作簿结构含有不安全的 XML 声明（{type(exc).__name__}），已拒绝读取", file=p) from exc
    except Exception as exc:  # noqa: BLE001 - ParseError, zlib errors
        raise BadFileError(f"工作簿结构 (workbook.xml) 已损坏（{exc}）；请重新获取原文件", file=p) from exc
    names: list[str] = []
    hidden: list[str] = []
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        name = el.get("name")
        if not name:
            continue
        (hidden if el.get("state") in ("hidden", "veryHidden") else names).append(name)
    if not names and not hidden:
        raise BadFileError("工作簿里没有工作表", file=p)
    return names or hidden


def _open_ole(p: Path, ext: str, head: bytes) -> TableSource:
    if "EncryptedPackage".encode("utf-16-le") in head:
        raise BadFileError("工作簿设置了打开密码（已加密）；请在 Excel/WPS 中取消密码后另存再导入", file=p)
    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_path(str(p)) as wb:
            sheets = [
                m.name for m in wb.sheets_metadata
                if m.typ == python_calamine.SheetTypeEnum.WorkSheet
                and m.visible == python_calamine.SheetVisibleEnum.Visible
            ] or list(wb.sheet_names)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own family
        raise BadFileError(
            f"无法读取这个 Excel 97-2003 (.xls) 文件（{str(exc)[:200]}）；"
            f"文件可能已损坏、加密，或是 Word 等其他 Office 文档；{_SAVE_AS}",
            file=p,
        ) from exc
    notes = []
    if ext != ".xls":
        notes.append(f"文件扩展名是 {ext or '（无）'}，但内容是 Excel 97-2003 工作簿 (.xls)，已按 .xls 读取")
    return TableSource(p, "xls", notes=notes, sheets=sheets)


_MARKUP = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(!doctype\s+html|html|table|head|body|meta|style|\?mso)", re.I | re.S)


def _refuse_markup(p: Path, head: bytes) -> None:
    sample = head[:4096]
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if sample.startswith(bom):
            sample = sample[len(bom):].decode(enc, errors="ignore").encode("utf-8")
            break
    if _MARKUP.match(sample):
        raise BadFileError(
            "这其实是一个网页 (HTML) 文件，只是扩展名为 "
            f"{p.suffix or '（无）'}（很多系统导出的“Excel”就是这样）；{_SAVE_AS}",
            file=p,
        )
    if re.match(rb"^\s*<\?xml", sample) and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise BadFileError(f"这是 Excel 2003 XML 表格，暂不支持；{_SAVE_AS}", file=p)
    if sample.startswith(b"%PDF"):
        raise BadFileError("这是 PDF 文件，不是表格；请导入原始的 Excel 或 CSV 文件", file=p)


def _open_text(p: Path, ext: str, head: bytes, size: int) -> TableSource:
    encoding, label = _detect_encoding(p, head, size)
    sample = _decode_sample(head, encoding, complete=size <= len(head))
    delimiter = _sniff_delimiter(sample, complete=size <= len(head), tab_default=encoding.startswith("utf-16"))
    notes = [f"按 {label} 编码、{_DELIM_NAMES[delimiter]}分隔读取"]
    if ext in (".xlsx", ".xlsm", ".xls", ".et"):
        notes.insert(0, f"文件扩展名是 {ext}，但内容是 CSV 文本，已按 CSV 读取")
    return TableSource(p, "csv", encoding=encoding, delimiter=delimiter, notes=notes)


def _detect_encoding(p: Path, head: bytes, size: int) -> tuple[str, str]:
    """(codec to open with, label for the operator)."""
    if head.startswith(codecs.BOM_UTF8):
        _verify_encoding(p, "utf-8-sig", size, head)
        return "utf-8-sig", "UTF-8（带 BOM）"
    if head.startswith(codecs.BOM_UTF16_LE):
        _verify_encoding(p, "utf-16", size, head)
        return "utf-16", "UTF-16 LE"
    if head.startswith(codecs.BOM_UTF16_BE):
        _verify_encoding(p, "utf-16", size, head)
        return "utf-16", "UTF-16 BE"
    probe = head[:8192]
    nul = probe.count(0)
    if nul > len(probe) // 5:
        even = probe[0::2].count(0)
        odd = probe[1::2].count(0)
        if odd > even * 4:
            enc = "utf-16-le"
        elif even > odd * 4:
            enc = "utf-16-be"
        else:
            raise BadFileError("这不是表格文件（看起来是二进制数据）；请导入 Excel 或 CSV 文件", file=p)
        _verify_encoding(p, enc, size, head)
        return enc, enc.upper().replace("-LE", " LE").replace("-BE", " BE")
    controls = sum(1 for b in probe if b < 9 or 13 < b < 32)
    if controls > max(len(probe) // 10, 8):
        raise BadFileError("这不是表格文件（看起来是二进制数据）；请导入 Excel 或 CSV 文件", file=p)
    if _decodes(p, "utf-8", size, head):
        return "utf-8-sig", "UTF-8"
    if _decodes(p, "gb18030", size, head):
        return "gb18030", "GB18030（GBK）"
    raise BadFileError(
        "无法识别文件的文字编码（既不是 UTF-8 也不是 GBK/GB18030）；请用 Excel/WPS 另存为「CSV UTF-8」或 .xlsx",
        file=p,
    )


def _decodes(p: Path, encoding: str, size: int, head: bytes) -> bool:
    """Does the whole file decode? Streams in 1 MiB chunks: bounded memory on big files."""
    dec = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        if size <= len(head):
            dec.decode(head, final=True)
            return True
        with p.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                dec.decode(chunk)
            dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _verify_encoding(p: Path, encoding: str, size: int, head: bytes) -> None:
    if not _decodes(p, encoding, size, head):
        raise BadFileError(
            f"文件开头标明是 {encoding.upper()} 编码，但其中有无法解码的字节（文件可能已损坏）；"
            "请用 Excel/WPS 重新另存为「CSV UTF-8」或 .xlsx",
            file=p,
        )


def _decode_sample(head: bytes, encoding: str, *, complete: bool) -> str:
    dec = codecs.getincrementaldecoder(encoding)(errors="replace")
    return dec.decode(head, final=complete)


def _sniff_delimiter(sample: str, *, complete: bool, tab_default: bool) -> str:
    lines = sample.splitlines()
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut mid-way
    lines = [ln for ln in lines[:200] if ln.strip()]
    best: tuple[float, int, int] = (0.0, 0, 0)
    choice = "\t" if tab_default else ","
    for rank, d in enumerate(DELIMITERS):
        counts = []
        try:
            for row in csv.reader(lines, delimiter=d):
                if any(c.strip() for c in row):
                    counts.append(len(row))
        except csv.Error:
            continue
        if not counts:
            continue
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        mode = max(set(wide), key=wide.count)
        consistency = wide.count(mode) / len(counts)
        score = (round(consistency, 1), mode, -rank)
        if score > best:
            best = score
            choice = d
    return choice


# ---- headers ------------------------------------------------------------------

_BRACKETED = re.compile(r"[(\[{<（【［｛《〈「『][^)\]}>）】］｝》〉」』]*[)\]}>）】］｝》〉」』]")
_BRACKET_CHARS = re.compile(r"[()\[\]{}<>（）【】［］｛｝《》〈〉「」『』]")
_HEADER_DROP = re.compile(r"[\s*＊:：_\-—·.。、/\\|]+")


def normalize_header(text: object) -> str:
    """A header cell as a comparable key: NFKC, no spaces or ``*``, no bracketed
    suffix such as ``（必填）``/``(选填)``/``【11位】``, lower-case.

    ``"* 手机号码（必填）"`` → ``"手机号码"``; ``"WeChat ID"`` → ``"wechatid"``.
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    stripped = _BRACKETED.sub("", s)
    if _HEADER_DROP.sub("", stripped):
        s = stripped
    else:  # the whole header is bracketed: 【姓名】 → 姓名
        s = _BRACKET_CHARS.sub("", s)
    return _HEADER_DROP.sub("", s).lower()


def _synonym_index(synonyms: Mapping[str, Sequence[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for field_name, words in synonyms.items():
        for w in (field_name, *words):
            key = normalize_header(w)
            if key:
                index.setdefault(key, field_name)
    return index


def find_header_row(
    rows: Sequence[Sequence[object]],
    synonyms: Mapping[str, Sequence[str]],
    max_scan: int = 20,
) -> int | None:
    """0-based index of the row (among the first ``max_scan``) that names the most fields.

    A merged title row ("2024 年会员名单") or a note row above the header matches at
    most one field and loses to the real header; ties go to the upper row.
    """
    index = _synonym_index(synonyms)
    best: tuple[int, int | None] = (0, None)
    for i, row in enumerate(rows[:max_scan]):
        fields = {index[k] for k in (normalize_header(c) for c in row if c is not None) if k in index}
        if len(fields) > best[0]:
            best = (len(fields), i)
    return best[1]


def match_columns(
    header: Sequence[object],
    synonyms: Mapping[str, Sequence[str]],
    explicit: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """field → column index. ``explicit`` maps header text → field and wins over the
    synonyms; mapping a header to ``""`` (or "忽略") leaves that column out. The first of
    two columns with the same meaning wins; the other is left unmapped."""
    keys = [normalize_header(c) for c in header]
    out: dict[str, int] = {}
    used: set[int] = set()
    for head_text, field_name in (explicit or {}).items():
        want = normalize_header(head_text)
        col = next((i for i, k in enumerate(keys) if k == want and i not in used), None)
        if col is None:
            have = "、".join(str(c) for c in header if c not in (None, "")) or "（无）"
            raise ValidationError(f"表头中没有「{head_text}」这一列；现有列：{have}", column=str(head_text))
        used.add(col)
        fld = field_name.strip()
        if not fld or fld in ("忽略", "ignore", "-"):
            continue
        if fld in out:
            raise ValidationError(f"字段「{fld}」被映射了两次", column=str(head_text))
        out[fld] = col
    index = _synonym_index(synonyms)
    for i, k in enumerate(keys):
        if i in used or not k or k not in index:
            continue
        fld = index[k]
        if fld not in out:
            out[fld] = i
            used.add(i)
    return out

