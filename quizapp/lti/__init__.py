"""LTI 1.3 tool: platform registrations, launch validation, launched users, deep linking, tool keys, grade outbox."""
