"""Screens of an event's agenda."""
