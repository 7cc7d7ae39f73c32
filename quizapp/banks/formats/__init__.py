"""Bank file formats (YAML, GIFT, Aiken), parsed to the core schema with located errors."""
