"""Screens of an event's workshops."""
