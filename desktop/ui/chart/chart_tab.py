"""The chart's tabs by name, so the worklist and the main window can ask for one."""

from enum import StrEnum


class ChartTab(StrEnum):
    OVERVIEW = "Overview"
    COURSE = "Course"
    VISITS = "Visits"
    IPLEDGE = "iPLEDGE"
    LABS = "Labs"
    CONSENTS = "Consents"
    HISTORY = "History"
