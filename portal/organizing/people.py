"""Screens of an event's people and their roles."""
