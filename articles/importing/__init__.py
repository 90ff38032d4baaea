"""Turning page files into archive rows: decoding, dates, mapping, re-import.

The parser (articles.parsing) knows nothing of Django; this package maps its
plain records onto the models, one file per transaction.
"""
