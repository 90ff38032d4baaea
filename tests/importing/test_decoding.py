import codecs
import zlib

import pytest

from articles.importing.decoding import RejectedFile, decode_page, text_warnings

PAGE = "■记者 林旭东\n\n本报讯 平湖经开外资企业跑出“加速度”，今年1至6月实际利用外资同比增长16%。\n"


def test_utf8_without_bom():
    assert decode_page(PAGE.encode("utf-8")) == (PAGE, "utf-8")


def test_utf8_with_bom_drops_the_bom():
    text, encoding = decode_page(codecs.BOM_UTF8 + PAGE.encode("utf-8"))
    assert text == PAGE and encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gbk_and_gb18030(codec):
    text, encoding = decode_page(PAGE.encode(codec))
    assert text == PAGE and encoding == "gb18030"


def test_sample_page_in_gbk_reads_the_same(samples_dir):
    original = (samples_dir / "001_754509dbfb55a7fd.txt").read_text(encoding="utf-8")
    assert decode_page(original.encode("gbk"))[0] == original


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "空文件"),
        (b" \n\t\r\n  \n", "只有空白"),
        ("　\n".encode("utf-8"), "只有空白"),  # ideographic space only
        (PAGE.encode("utf-8")[:8] + b"\x00\x00" + PAGE.encode("utf-8")[8:], "NUL"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        (b"%PDF-1.7\n" + PAGE.encode("utf-8"), "PDF"),
        (zlib.compress(PAGE.encode("utf-8") * 20), ""),  # compressed data: some reason, any
        (PAGE.encode("utf-16"), "UTF-16"),
        (PAGE.encode("utf-8") + "平".encode("utf-8")[:2], "截断"),
        (PAGE.encode("gbk") + "平".encode("gbk")[:1], "截断"),
        (PAGE.encode("utf-8")[:20] + b"\xff\xfe" + PAGE.encode("utf-8")[20:], "UTF-8 文件中有无效字节"),
        (b"abc\x01\x02def", "控制字符"),
    ],
    ids=["empty", "whitespace", "ideographic-space", "nul", "png", "pdf", "zlib", "utf16", "utf8-truncated",
         "gbk-truncated", "utf8-damaged", "controls"],
)
def test_rejections_name_the_reason(data, reason):
    with pytest.raises(RejectedFile) as raised:
        decode_page(data)
    assert reason in str(raised.value)
    assert str(raised.value)


def test_random_high_bytes_are_not_taken_for_gbk():
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    with pytest.raises(RejectedFile):
        decode_page(data)


def test_genuine_repeats_and_rare_but_valid_text_pass():
    text = "谢谢，常常来。66岁的老人说。\n"
    assert decode_page(text.encode("gbk"))[0] == text


def test_replacement_characters_are_flagged_not_rejected():
    text = "本报讯 平湖\ufffd经开\n"
    decoded, _ = decode_page(text.encode("utf-8"))
    assert decoded == text
    assert any("替换字符" in warning for warning in text_warnings(decoded))
    assert text_warnings(PAGE) == []
