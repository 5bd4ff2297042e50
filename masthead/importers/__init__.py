"""Importers: WordPress WXR, Ghost JSON and members CSV, Substack exports."""
