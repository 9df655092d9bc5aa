"""Word documents of the study records, in their paper layout (partybuild.lib.word)."""
