"""A course's labs: what is due next, orders and results with their flags."""
