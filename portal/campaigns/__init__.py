"""Mail merge: message templates with placeholders, audiences, campaigns sent through the outbox."""
