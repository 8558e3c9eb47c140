"""The monthly visit dialog and its panels: side effects, mood screening, counselling topics
and the dose decision."""
