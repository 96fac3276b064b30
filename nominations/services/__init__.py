"""Use cases: each call is one unit of work inside one database transaction."""
