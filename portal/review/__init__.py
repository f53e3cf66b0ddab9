"""Review: the associations' and the ministry's work on registrations (dashboard, list, decisions,
waiting list, exports, geographic distribution)."""
