"""What the graph builder adds once every record is in (issue 13): series and passages,
checkpoints on the borders their text names, precursor types and the seas countries touch.

Each step lives in its own module; this one only calls them in order, on the set of triples
:func:`graph.rdf.build_graph` gathers before loading it into a store.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.borders import add_checkpoint_borders
from graph.coasts import add_seas
from graph.precursors import add_precursor_types
from graph.rdf import GazetteerLike, TripleSink
from graph.records import Document, DocumentFlows
from graph.series import add_passages


def enrich(
    g: TripleSink,
    documents: Sequence[Document],
    flows: Sequence[DocumentFlows],
    gazetteer: GazetteerLike,
) -> None:
    """Add passages, checkpoint borders, precursor types and seas to ``g``."""
    add_passages(g, documents, flows)
    add_checkpoint_borders(g, documents, flows, gazetteer)
    add_precursor_types(g, list(flows))
    add_seas(g, set(gazetteer.countries))
