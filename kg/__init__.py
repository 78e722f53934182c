"""kg: turn news articles into a knowledge graph you can query with SPARQL and explore as HTML.

>>> import kg
>>> kg.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import BuildSummary, KnowledgeGraph, build, extract, open_graph  # noqa: E402
from .errors import InputError, KGError, ModelError, OntologyError, QueryError, StoreError  # noqa: E402
from .model import Document, Entity, Evidence, Fact, Value  # noqa: E402
from .ontology import Ontology, load_ontology  # noqa: E402

__all__ = [
    "__version__", "build", "open_graph", "extract", "KnowledgeGraph", "BuildSummary", "load_ontology", "Ontology",
    "Document", "Entity", "Evidence", "Fact", "Value",
    "KGError", "InputError", "OntologyError", "QueryError", "StoreError", "ModelError",
]
