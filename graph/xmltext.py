"""Text that XML 1.0 can hold: GraphML and GEXF are XML, and a sentence may not be.

XML 1.0 admits tab, line feed, carriage return and the characters from U+0020 on, except the
surrogates and U+FFFE/U+FFFF; a form feed, ``\\x01``, ``\\x0b`` or a NUL in a passage makes the
whole file unreadable (networkx's writer does not escape them). Each such character is written as
the visible escape ``\\xNN`` (``\\uNNNN`` above U+00FF) instead; everything else is unchanged.

>>> xml_text("a\\x0cb\\x00c\\td")
'a\\\\x0cb\\\\x00c\\td'
>>> xml_text("Kazakhstan")
'Kazakhstan'
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold written as a visible escape."""
    return _NOT_XML.sub(_escape, text)


def _value(value: Any) -> Any:
    return xml_text(value) if isinstance(value, str) else value


def xml_safe_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of a flattened projection whose node keys, edge keys and string attributes are
    all XML text (see :func:`graph.network.flatten_for_export`)."""
    out = nx.MultiDiGraph()
    out.graph.update({k: _value(v) for k, v in g.graph.items()})
    for n, d in g.nodes(data=True):
        out.add_node(_value(n), **{xml_text(k): _value(v) for k, v in d.items()})
    for u, v, k, d in g.edges(keys=True, data=True):
        attrs = {xml_text(a): _value(b) for a, b in d.items()}
        out.add_edge(_value(u), _value(v), key=_value(k), **attrs)
    return out
