"""The durable mail queue: messages are stored with the change that caused them, then delivered.

It knows no domain: callers hand it a rendered message (see queue()).
"""
from .queue import queue_message

__all__ = ["queue_message"]
