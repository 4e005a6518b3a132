"""Engagement analytics (Qt-free): per-member metrics and levels, community figures.

``metrics``   — per-member variables (MetricsTable), score, computed level, drill-down rows
``levels``    — held levels: downgrades wait for a review period, upgrades are immediate
``community`` — figures over a period and a set of groups, each with its evidence
"""
