"""Qt user interface: talks to services only."""
