"""Bind query variables by writing a VALUES block into the SPARQL text, for any SPARQL engine.

rdflib binds ``initBindings`` before it matches the pattern; Oxigraph's own substitutions bind
only variables the query projects (``SELECT ?country``), so a canned query with a parameter that
it does not print fails there. A ``VALUES`` block that opens the query's outermost group binds
the same way on both.

>>> from rdflib import URIRef
>>> q = "# where to?\\nSELECT ?f WHERE { ?f <urn:to> ?c . { SELECT ?f WHERE { ?f ?p ?o } } }"
>>> print(inline_bindings(q, {"c": URIRef("urn:KAZ")}).splitlines()[1])
SELECT ?f WHERE { VALUES (?c) { (<urn:KAZ>) } ?f <urn:to> ?c . { SELECT ?f WHERE { ?f ?p ?o } } }
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode
from rdflib.term import Node

from graph.errors import CrimegraphError

#: Comments, strings and IRIs, which may hold braces or keywords that do not count.
_SKIP = (
    r"#[^\n]*"
    r"|'''(?:[^\\]|\\.)*?'''"
    r'|"""(?:[^\\]|\\.)*?"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
)
_TOKEN = re.compile(
    rf"(?P<skip>{_SKIP})"
    r"|(?P<word>\b(?:SELECT|ASK|CONSTRUCT|DESCRIBE|WHERE)\b)"
    r"|(?P<open>\{)|(?P<close>\})",
    re.IGNORECASE,
)


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for one row of bindings.

    >>> from rdflib import Literal
    >>> values_block({"n": Literal(3)})
    'VALUES (?n) { ("3"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    """
    for name, value in bindings.items():
        if isinstance(value, BNode):
            raise CrimegraphError(f"?{name}: a blank node cannot be bound as a parameter")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(value.n3() for value in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def inline_bindings(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with ``bindings`` as a VALUES block opening its outermost WHERE group."""
    if not bindings:
        return text
    depth, form, after_where = 0, "", False
    for m in _TOKEN.finditer(text):
        if m.group("skip"):
            continue
        if m.group("word"):
            if depth == 0:
                word = m.group("word").upper()
                form = form or word
                after_where = after_where or word == "WHERE"
            continue
        if m.group("close"):
            depth -= 1
            continue
        if depth == 0 and (after_where or form in ("SELECT", "ASK")):
            rest = text[m.end() :].lstrip(" ")
            return f"{text[: m.end()]} {values_block(bindings)} {rest}"
        depth += 1
    raise CrimegraphError("cannot bind parameters: the query has no WHERE group")
