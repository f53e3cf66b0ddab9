"""The protocol list of an event: the institutions invited and their answers."""
