"""Choosing an attempt's questions: the pure seeded `draw`, the learner's `focus`, the cached `pool` it draws from."""
