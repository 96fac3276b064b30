"""Email: rendering from templates, the outbox, and sending over SMTP."""
