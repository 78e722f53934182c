"""The errors kg raises: one hierarchy whose messages name the file or query and say what to do.

The CLI prints ``str(error)`` as one line on stderr and exits with status 2.

>>> str(InputError("notes.txt", "the file is empty"))
'notes.txt: the file is empty'
"""

from __future__ import annotations

__all__ = ["KGError", "InputError", "OntologyError", "QueryError", "StoreError", "ModelError", "RelationModelError"]


class KGError(Exception):
    """Base class of every error kg raises on purpose."""


class _Located(KGError):
    """An error about one named thing (a file, a query, a store directory)."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):  # pickled (from a worker process) as itself: the constructor takes (where, problem)
        return type(self), (self.where, self.problem)


class InputError(_Located):
    """An article file or stream that cannot be read as text."""


class OntologyError(_Located):
    """An ontology file that cannot be parsed or lacks what extraction needs."""


class QueryError(_Located):
    """A SPARQL query that cannot be parsed or run."""


class StoreError(_Located):
    """A store that cannot be opened, read or written."""


class ModelError(KGError):
    """A spaCy pipeline that is not installed or cannot be loaded."""


class RelationModelError(_Located):
    """A relation model file that is missing or not one kg wrote."""
