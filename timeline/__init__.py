"""Rendering the static timeline site from what `tracker` stored (no matching of its own)."""
