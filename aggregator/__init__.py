"""A news feed aggregator: poll sources, store each item once, republish per category."""

__version__ = "0.1.0"
USER_AGENT = f"aggregator/{__version__} (+https://github.com/aggregator; feed aggregator)"
