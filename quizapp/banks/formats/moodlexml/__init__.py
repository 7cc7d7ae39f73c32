"""Moodle XML: the safe XML tree, texts into Markdown, the reader (questions into drafts) and the writer."""
