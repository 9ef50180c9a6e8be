"""The Map section: basemap, incident markers, readout, go-to and export (issue 7)."""
