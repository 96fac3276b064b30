"""Workflows as data: definitions in YAML, checked, loaded into `transitions`."""
