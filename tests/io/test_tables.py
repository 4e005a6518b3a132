"""Header matching and the table reader's streaming and sniffing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sqdesk.io.roster_import import ROSTER_SYNONYMS
from sqdesk.io.tables import find_header_row, match_columns, normalize_header, open_table


@given(st.sampled_from([w for ws in ROSTER_SYNONYMS.values() for w in ws]),
       st.sampled_from(["", " ", "*", "（必填）", "(选填)", "【11位】", "："]))
def test_decorated_headers_normalise_to_the_synonym(word: str, decoration: str) -> None:
    assert normalize_header(f"{decoration}{word}{decoration}") == normalize_header(word)


def test_merged_title_row_never_wins() -> None:
    rows = [["姓名"], [None], ["说明：手机号必须填写"], ["姓名", "手机号", "微信号"], ["张三", "1", "x"]]
    assert find_header_row(rows, ROSTER_SYNONYMS) == 3
    assert find_header_row([["a", "b"]], ROSTER_SYNONYMS) is None


def test_explicit_mapping_wins_over_synonyms() -> None:
    header = ["姓名", "电话", "手机"]
    assert match_columns(header, ROSTER_SYNONYMS) == {"display_name": 0, "phone": 1}
    assert match_columns(header, ROSTER_SYNONYMS, {"手机": "phone", "电话": ""}) == {"phone": 2, "display_name": 0}


def test_big_csv_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="gb18030", newline="") as fh:
        fh.write("姓名\t手机号\n")
        for i in range(200_000):
            fh.write(f"成员{i}\t139{i:08d}\n")
    source = open_table(path)
    assert (source.encoding, source.delimiter) == ("gb18030", "\t")
    rows = source.rows()
    assert next(rows) == ["姓名", "手机号"]
    import collections

    # a generator: one row at a time, never the whole file; keep only the last row
    (last,) = collections.deque(rows, maxlen=1)
    assert last == ["成员199999", "13900199999"]
