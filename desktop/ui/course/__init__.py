"""A patient's courses: starting one, the dose panel and calculator, dose changes, weights,
missed days, pausing, resuming and ending."""
