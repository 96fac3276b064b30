"""nominations: fill the seats public-sector partnerships give the voluntary and community sector."""

__version__ = "0.1.0"
