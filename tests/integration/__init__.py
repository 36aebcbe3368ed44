"""Home Assistant side of the integration, tested against the simulated WES."""
