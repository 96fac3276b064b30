"""Counting: pure functions over ballots. No database, no network."""
