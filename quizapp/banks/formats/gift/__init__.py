"""Moodle GIFT: answer blocks and escapes (answers), the reader (into drafts), the writer (questions as GIFT)."""

from quizapp.banks.formats.gift.reader import parse_gift
from quizapp.banks.formats.gift.writer import GiftExport, dump_gift, export_gift

__all__ = ["GiftExport", "dump_gift", "export_gift", "parse_gift"]
