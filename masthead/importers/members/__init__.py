"""Members of a Ghost or Substack site become Masthead readers (see writer.py for the rules)."""
