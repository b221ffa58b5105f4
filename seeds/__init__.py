"""The shipped incident records, curated places and flight tracks (package data).

Found through :mod:`incidentmap.geo.paths`, never by a path relative to a source file.
"""
