"""PDF documents built with ReportLab from plain data: no Qt, no database."""
