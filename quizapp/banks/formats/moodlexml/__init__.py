"""Moodle XML: the safe XML tree, the reader (questions into drafts) and the writer (a bank as Moodle XML)."""
