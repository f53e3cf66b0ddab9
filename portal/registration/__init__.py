"""Registration: the public catalogue of events, the form, the confirmation and the manage link."""
