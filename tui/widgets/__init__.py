"""Widgets of the bosun dashboard."""
