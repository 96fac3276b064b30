"""Helpers shared by the tests: servers, factories."""
