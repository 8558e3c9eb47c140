"""Pure clinical rules: standard library only; "today" is always an argument (DESIGN.md)."""
