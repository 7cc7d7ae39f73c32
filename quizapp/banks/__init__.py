"""Question banks: the core schema, importing and exporting banks, and their file formats."""
