"""Events: the co-creation days, their workshops, agenda, co-organisers and speakers."""
