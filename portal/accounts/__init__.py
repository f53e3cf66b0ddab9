"""Accounts: people of the ministry and the associations who work in the back office."""
