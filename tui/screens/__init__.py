"""Screens of the bosun app."""
