"""Question-bank files: schema, YAML/GIFT/Aiken formats, validation with located errors."""
