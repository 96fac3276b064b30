"""The web pages members reach from their emails: thin handlers that parse, call a service, render."""
