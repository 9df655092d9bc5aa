"""Reads of the activities app, each scoped to the user asking (the scope rule)."""
