"""The worklist screen: what is due, overdue or closing, across every tracked course."""
