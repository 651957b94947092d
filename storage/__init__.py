"""Persistence: the object store (originals and derived artefacts) and the database."""
