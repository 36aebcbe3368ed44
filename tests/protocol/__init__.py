"""Tests of the HA-free protocol package: parser, client and fuzzing."""
