"""Experiments on walls and offers, assigned on the server by hash(experiment, reader key)."""
