"""Domain operations with the database. Services flush; the caller commits once."""
