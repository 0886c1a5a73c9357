"""THE roll-up rules (DESIGN §5): see `reports.rollup.rules.rollup`."""
