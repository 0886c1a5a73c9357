"""Excel workbooks of submissions: export (unit and district workbooks) and checked, lossless import."""
