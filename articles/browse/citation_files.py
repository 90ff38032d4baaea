"""References (citing.Reference) as files a reference manager imports: RIS, BibTeX, CSL-JSON.

All three are UTF-8 with the Chinese text as it is (BibTeX for biber or
XeLaTeX/LuaLaTeX; nothing is transliterated). Each keeps the page's date
note and its GB/T 7714 citation word for word in its note field.
"""

import json

from django.http import HttpResponse


def _notes(ref):
    return [text for text in (ref.date_note, f"GB/T 7714: {ref.citation}" if ref.citation else "") if text]


def ris(refs):
    lines = []
    for ref in refs:
        record = [("TY", "NEWS"), ("ID", f"phnews{ref.id}"), ("TI", ref.title)]
        record += [("AU", name) for name in ref.authors]
        if ref.date:
            record += [("PY", str(ref.date.year)), ("DA", ref.date.strftime("%Y/%m/%d/"))]
        record += [("T2", ref.newspaper), ("ET", ref.edition), ("SP", ref.page), ("LA", ref.language),
                   ("UR", ref.url)]
        record += [("N1", note) for note in _notes(ref)]
        # RIS is line-based: a value never spans lines.
        lines += [f"{tag}  - {' '.join(str(value).split())}" for tag, value in record if value]
        lines += ["ER  - ", ""]
    return "\r\n".join(lines)


# What LaTeX reads as markup; everything else (Chinese included) is written as it is.
_LATEX = str.maketrans({
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
})


def _tex(text):
    return " ".join(str(text).split()).translate(_LATEX)


def bibtex(refs):
    entries = []
    for ref in refs:
        fields = [("title", _tex(ref.title))]
        if ref.authors:
            # A Chinese name is one unit: braces keep BibTeX from splitting it into given and family names.
            fields.append(("author", " and ".join(f"{{{_tex(name)}}}" for name in ref.authors)))
        fields += [("journal", _tex(ref.newspaper)), ("journaltitle", _tex(ref.newspaper)),
                   ("edition", _tex(ref.edition))]
        if ref.date:
            fields += [("date", ref.date.isoformat()), ("year", str(ref.date.year)),
                       ("month", str(ref.date.month)), ("day", str(ref.date.day))]
        if ref.page:
            fields.append(("pages", _tex(ref.page)))
        fields += [("language", ref.language), ("url", ref.url)]
        notes = _notes(ref)
        if notes:
            fields.append(("note", _tex("；".join(notes))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@article{{phnews{ref.id},\n{body}\n}}\n")
    return "\n".join(entries)


def csl_item(ref):
    item = {
        "id": f"phnews{ref.id}",
        "type": "article-newspaper",
        "title": ref.title,
        # CSL's "literal" keeps a Chinese name whole, as printed.
        "author": [{"literal": name} for name in ref.authors],
        "container-title": ref.newspaper,
        "edition": ref.edition,
        "page": ref.page,
        "language": ref.language,
        "URL": ref.url,
    }
    if ref.date:
        item["issued"] = {"date-parts": [[ref.date.year, ref.date.month, ref.date.day]]}
    notes = _notes(ref)
    if notes:
        item["note"] = "\n".join(notes)
    return {key: value for key, value in item.items() if value}


def csl_json(refs):
    return json.dumps([csl_item(ref) for ref in refs], ensure_ascii=False, indent=1)


# extension: (writer, content type)
FORMATS = {
    "ris": (ris, "application/x-research-info-systems"),
    "bib": (bibtex, "application/x-bibtex"),
    "csl.json": (csl_json, "application/vnd.citationstyles.csl+json"),
}


def download(refs, name, extension):
    """The file as an attachment named ``name.extension``; None for a format we do not write."""
    if extension not in FORMATS:
        return None
    write, content_type = FORMATS[extension]
    response = HttpResponse(write(refs), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
