"""Reads of the learning app; one module per part."""
