"""The shipped map specs (``*.toml``, package data); built maps are written beside them in a
checkout, or to ``--out``.

Found through :mod:`incidentmap.geo.paths`.
"""
