"""The page parser: plain page text in, plain records out. No Django here."""

from .page import parse_page
from .records import ArticleRecord, Block, BylineRecord, CreditRecord, MastheadRecord, PageRecord

__all__ = ["parse_page", "ArticleRecord", "Block", "BylineRecord", "CreditRecord", "MastheadRecord", "PageRecord"]
