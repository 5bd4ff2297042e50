"""Shared fixtures. Feature-specific fixtures live in each test package's own conftest."""
