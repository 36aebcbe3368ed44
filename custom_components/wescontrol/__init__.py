"""The WES Control integration (placeholder until the setup lands)."""
