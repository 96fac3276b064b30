"""Alembic migrations: every change to the tables, from the first released schema on.

Run them with `nominations db upgrade` (nominations/db/migrate.py). To add one after changing
a model, draft it against a database at head, then edit it by hand (sa.String for sqlmodel's
AutoString, sa.DateTime(timezone=True) for UTCDateTime; server defaults for new NOT NULL
columns, so that filled databases upgrade):

    NOMINATIONS_DATABASE_URL=sqlite:///draft.db nominations db upgrade
    python -c "from alembic import command; from nominations.db.migrate import alembic_config; \
command.revision(alembic_config(url='sqlite:///draft.db'), 'what changed', autogenerate=True, rev_id='0003')"

tests/integration/test_migrations.py fails until the migrations make exactly the models' tables.
Migrations never import the models: a model is today's shape, a migration is history.
"""
