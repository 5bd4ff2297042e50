"""First-party reader-revenue analytics: what the server decided, and what it led to."""
