"""Data files shipped with IsoTrack: formulary, protocols, consent templates, styles, fonts."""
