"""xAPI statements sent to a learning record store (optional, configured per site)."""
