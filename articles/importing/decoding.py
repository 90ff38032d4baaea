"""Bytes of a page file to text, or a clear reason why not.

Page files come from PDF extraction tools that write UTF-8 (sometimes with a
BOM) or, in older batches, GB18030/GBK. Anything else must be refused before a
single row is written: a mis-decoded page would be indexed as gibberish.
"""

import codecs
import re
import unicodedata
from collections import Counter

# Controls that never occur in extracted text but always in binary files.
# \t \n \v \f \r and ESC/SUB are tolerated (old DOS tools end files with SUB).
_ALLOWED_CONTROLS = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B}
# Scanning a page's bytes for a disallowed control byte is a regex search, not a Python loop.
_CONTROL_BYTE = re.compile(b"[" + b"".join(re.escape(bytes([b])) for b in range(0x20) if b not in _ALLOWED_CONTROLS) + b"]")
_BINARY_SIGNATURES = {
    b"%PDF": "PDF 文件",
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
    b"PK\x03\x04": "ZIP/Office 压缩文件",
    b"\xd0\xcf\x11\xe0": "旧版 Office 文件",
    b"\x1f\x8b": "gzip 压缩文件",
    b"\x7fELF": "可执行文件",
}
_OTHER_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


class RejectedFile(Exception):
    """The file cannot be imported; str(error) is the reason shown to the user."""


def decode_page(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise RejectedFile.

    UTF-8 is tried first because valid UTF-8 Chinese is practically never
    valid GB18030 by accident; GB18030 (a superset of GBK) is the fallback.
    """
    if not data:
        raise RejectedFile("空文件")
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise RejectedFile(f"不是文本文件（{what}）")
    # UTF-32 BOMs start with the UTF-16 ones, so check the longer first.
    for bom, name in sorted(_OTHER_BOMS.items(), key=lambda item: -len(item[0])):
        if data.startswith(bom):
            raise RejectedFile(f"不支持的编码 {name}（只接受 UTF-8 与 GB18030/GBK）")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise RejectedFile(f"含 NUL 字节（第 {nul} 字节），是二进制文件")
    found = _CONTROL_BYTE.search(data)
    if found is not None:
        control = found.start()
        raise RejectedFile(f"含控制字符 0x{data[control]:02x}（第 {control} 字节），是二进制文件")

    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8):], "utf-8", "UTF-8（带 BOM）")
        encoding = "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            if _looks_like_utf8(data, error):
                raise RejectedFile(_utf8_reason(data, error)) from None
            text = _strict(data, "gb18030", "GB18030/GBK")
            encoding = "gb18030"
            _check_plausible_gb18030(text)

    if not text.strip():
        raise RejectedFile("只有空白，没有文字")
    # Judge each distinct character once: a page has a few thousand at most.
    bad = next((ch for ch in sorted(set(text)) if _is_unwanted(ch)), None)
    if bad is not None:
        raise RejectedFile(f"含不可打印字符 U+{ord(bad):04X}，不像抽取的版面文字")
    return text, encoding


def _strict(data, codec, label):
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        if _ends_inside_character(data, error):
            raise RejectedFile(f"文件被截断：结尾处的 {label} 字符不完整（第 {error.start} 字节）") from None
        raise RejectedFile(f"无法按 {label} 解码（第 {error.start} 字节）") from None


def _ends_inside_character(data, error):
    # utf-8 says "unexpected end of data", gb18030 "incomplete multibyte sequence".
    return error.end >= len(data) and ("end of data" in error.reason or "incomplete" in error.reason)


def _looks_like_utf8(data, error):
    """A UTF-8 file damaged in one place must not be re-read as GB18030.

    GBK text decoded as UTF-8 fails almost at once and yields hardly any valid
    multi-byte characters; a damaged UTF-8 file yields many before or around
    the damage.
    """
    if _ends_inside_character(data, error):
        return True
    decoded = data.decode("utf-8", errors="replace")
    replaced = decoded.count("\ufffd")
    good = sum(1 for ch in decoded if ord(ch) > 0x7F and ch != "\ufffd")
    return good > replaced


def _utf8_reason(data, error):
    if _ends_inside_character(data, error):
        return f"文件被截断：结尾处的 UTF-8 字符不完整（第 {error.start} 字节）"
    return f"UTF-8 文件中有无效字节（第 {error.start} 字节），无法解码"


def _check_plausible_gb18030(text):
    """GB18030 can decode most byte soup; real GBK pages are mostly common Han.

    Four-byte GB18030 sequences map onto rare planes and private use; a page
    full of them is binary data or another encoding, not a newspaper page.
    """
    counts = Counter(ch for ch in text if ord(ch) > 0x7F)
    total = sum(counts.values())
    if not total:
        return
    common = sum(n for ch, n in counts.items() if _is_common_text_char(ch))
    if common < 0.9 * total:
        raise RejectedFile("无法识别的编码：按 GB18030/GBK 解码得到大量生僻或无效字符")


def _is_common_text_char(ch):
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= code <= 0x4DBF  # extension A: rare characters in names
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x3040 <= code <= 0x30FF  # kana (GBK has them)
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x2000 <= code <= 0x27BF  # general punctuation, symbols, ■◆
        or 0x00A0 <= code <= 0x00FF  # Latin-1: ·, °, ×
        or 0x0370 <= code <= 0x04FF  # Greek, Cyrillic (in GBK)
        or 0x2E80 <= code <= 0x2FDF  # radicals
        or 0x3100 <= code <= 0x31FF  # bopomofo and friends
        or 0x3200 <= code <= 0x33FF  # enclosed CJK, ㈠ ㎡
    )


def _is_unwanted(ch):
    category = unicodedata.category(ch)
    if category == "Cc":
        return ord(ch) not in _ALLOWED_CONTROLS and ch not in "\x85"
    # Private-use glyphs do occur in PDF extraction (custom symbol fonts);
    # the importer flags them instead (see text_warnings).
    return category in {"Cs", "Cn"}


def text_warnings(text):
    """Signs of lossy extraction worth a reviewer's look, not a rejection."""
    warnings = []
    if "\ufffd" in text:
        warnings.append(f"原文含 {text.count(chr(0xFFFD))} 个替换字符 �，抽取时可能丢字")
    private = sum(n for ch, n in Counter(text).items() if unicodedata.category(ch) == "Co")
    if private:
        warnings.append(f"原文含 {private} 个私用区字符，可能是未识别的字形")
    return warnings
