"""Importing incident data a user holds (ACLED, UCDP GED, plain CSV/GeoJSON) into a seeds folder.

- :mod:`geo.imports.common`: the shared rules (dates and ranges, precision, kinds, countries,
  sources, row problems);
- :mod:`geo.imports.read`: the file into numbered rows;
- :mod:`geo.imports.acled`, :mod:`geo.imports.ucdp`, :mod:`geo.imports.plain`: one row → one
  seed mapping, per format;
- :mod:`geo.imports.catalog`: :func:`import_file`, validation, filters, enrichment, merge by id,
  the YAML and the report.
"""

from incidentmap.geo.imports.catalog import FORMATS, REPORT, ImportReport, import_file

__all__ = ["FORMATS", "REPORT", "ImportReport", "import_file"]
