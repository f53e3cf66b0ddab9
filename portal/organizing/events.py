"""Screens of an event: list, create, edit, clone, states, venue."""
