"""Every read of the assessment app, scoped to the user asking."""
