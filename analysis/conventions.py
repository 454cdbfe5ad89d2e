"""Conventions shared by every model: the day count, hours in a year and a month, months in a year.

One day count everywhere, Actual/365 fixed (Excel's XNPV and XIRR): a year is 365 days whatever the leap
years, so a month is 365/12 days. Capacity is billed on 8,760 hours a year, 730 a month.
"""

DAYS_PER_YEAR: float = 365.0
"""Actual/365 fixed: days in a year for discounting, price-trend time and notice periods."""
MONTHS_PER_YEAR: int = 12
DAYS_PER_MONTH: float = DAYS_PER_YEAR / MONTHS_PER_YEAR
"""Average days in a month on an Actual/365 year (30.4167)."""
HOURS_PER_YEAR: float = 8760.0
"""Billable hours in a year (365 × 24)."""
HOURS_PER_MONTH: float = HOURS_PER_YEAR / MONTHS_PER_YEAR
"""Billable hours in a month (730)."""
KW_PER_MW: float = 1000.0
"""Kilowatts in a megawatt."""
TFLOPS_PER_PFLOPS: float = 1000.0
"""TFLOP/s in a PFLOP/s."""
NEVER: int = -1
"""The value a month or price threshold takes when the event never comes (a payback not within the term, a side that
never leaves)."""
