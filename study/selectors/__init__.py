"""Every read of the study app, scoped to the user asking."""
