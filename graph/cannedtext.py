"""Tell one of the canned queries (``graph/queries/*.rq``) in a query text a client sent.

A client sends a canned query as :func:`graph.querytext.remote_text` writes it: the crimegraph
prefixes it uses declared first, and each parameter bound by ``VALUES ?name { term }`` blocks.
Without those, the text is the ``.rq`` file's. The server trusts these queries more than ad-hoc
ones (:mod:`graph.workerpool` never sheds one as busy): their cost was weighed when they were
written, and a parameter is one term.

>>> from graph.query import bind_canned, canned
>>> from graph.querytext import remote_text
>>> q = canned("flows-into")
>>> is_canned(remote_text(q.text, bind_canned(q, {"country": "Russia"})))
True
>>> is_canned(q.text.replace("SELECT", "SELECT * { ?a ?b ?c } SELECT", 1))
False
"""

from __future__ import annotations

import functools
import re

from graph.iris import QUERY_PREFIX_IRIS

#: One RDF term as :func:`graph.querytext.bind_values` writes it: an IRI, a literal (with a
#: language or a datatype) or a number.
_TERM = (
    r"""(?:<[^<>"{}|^`\\\s]*>"""  # an IRI
    r"""|"(?:[^"\\\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^<>\s]*>)?"""  # a literal
    r"""|[+-]?[0-9.eE+-]+)"""  # a number
)
_VALUES = re.compile(r" VALUES \?(\w+) \{ " + _TERM + r" \}")
_PREFIX = re.compile(r"PREFIX (\w+): <([^<>\s]*)>\n")


@functools.cache
def _canned() -> dict[str, frozenset[str]]:
    """The text of each canned query, with the names of its parameters."""
    from graph.query import canned_queries

    return {q.text: frozenset(p.name for p in q.parameters) for q in canned_queries()}


def is_canned(text: str) -> bool:
    """True when ``text`` is a canned query, its parameters bound, as a client sends it."""
    position = 0
    while m := _PREFIX.match(text, position):
        if QUERY_PREFIX_IRIS.get(m.group(1)) != m.group(2):
            return False
        position = m.end()
    body = text[position:]
    names = {m.group(1) for m in _VALUES.finditer(body)}
    parameters = _canned().get(_VALUES.sub("", body))
    return parameters is not None and names <= parameters
