"""sqdesk — 社群运营工作台."""

__version__ = "0.1.0"
