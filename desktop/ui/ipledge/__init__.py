"""A course's iPLEDGE steps: this month's steps, the fill window, first-course readiness,
pregnancy tests, contraception, confirmations and fills."""
