"""The ICPC/Kattis problem package format: import (`importer`), export (`export`),
`testdata.yaml` (`testdata`), LaTeX statements (`statement`), links (`tree`)."""

from graders.kattis.errors import KattisImportError
from graders.kattis.importer import ImportReport, import_kattis
from graders.kattis.statement import latex_to_markdown

__all__ = ["ImportReport", "KattisImportError", "import_kattis", "latex_to_markdown"]
