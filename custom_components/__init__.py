"""Namespace for Home Assistant custom integrations (lets tests import them)."""
