"""`make bench`: the site served the production way, driven by wrk, compared with a bare Django view."""
