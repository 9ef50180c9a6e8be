"""The Incidents section: the log with its filters and chart, the form, the reports."""
