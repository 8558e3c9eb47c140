"""IsoTrack desktop application: rules, services, documents, user interface and command line."""
