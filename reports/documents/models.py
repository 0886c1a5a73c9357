"""Consolidated reports (roll-up, text, PDF). Models are added by the roll-up work."""
