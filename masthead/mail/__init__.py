"""Every e-mail the publication sends a reader: one layout, HTML and text, in the reader's language."""
