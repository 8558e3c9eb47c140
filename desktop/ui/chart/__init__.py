"""One patient's chart: header, overview and history."""
