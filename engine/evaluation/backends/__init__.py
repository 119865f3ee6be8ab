"""Backends find which compiled checks hold for one case's facts."""
