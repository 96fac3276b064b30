"""Persistence: SQLModel tables and the database engine (SQLite or PostgreSQL)."""
