"""Make a SPARQL query self-contained for a remote endpoint: its prefixes declared, its
parameters bound in the text.

A remote endpoint takes query text only: it knows neither crimegraph's prefixes (which
:func:`graph.query.run_query` supplies locally) nor rdflib's ``initBindings``. rdflib binds a
variable everywhere in the query, sub-selects included, so :func:`bind_values` does the same in
standard SPARQL: it opens every group pattern that mentions the variable with
``VALUES ?var { term }``. Terms are written by rdflib (``Identifier.n3()``), never pasted.

>>> from rdflib import Literal, URIRef
>>> text = "SELECT ?n WHERE { ?c cg:iso3 ?code ; rdfs:label ?n }"
>>> print(bind_values(text, {"code": Literal("KAZ")}))
SELECT ?n WHERE { VALUES ?code { "KAZ" } ?c cg:iso3 ?code ; rdfs:label ?n }
>>> with_prefixes("ASK { ?f cg:origin ?c }").splitlines()[0]
'PREFIX cg: <https://w3id.org/crimegraph/ontology#>'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from graph.errors import CrimegraphError
from graph.iris import QUERY_PREFIX_IRIS


class Term(Protocol):
    """An RDF term that writes itself in SPARQL syntax: rdflib's terms, or the store's
    (:class:`graph.storequery.StoreTerm`)."""

    def n3(self) -> str: ...


# One token of SPARQL, longest alternatives first; the group names say what it is.
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<open>\{) | (?P<close>\})
    | (?P<pname>[A-Za-z][\w.-]*:[\w.%:-]*|:[\w.%:-]*)
    | (?P<word>[A-Za-z_][\w-]*)
    | (?P<other>\S)
    """,
    re.VERBOSE,
)


@dataclass
class _Group:
    """A ``{ … }`` of the query text: where its content starts, whether it is a group graph
    pattern, the variables it mentions and its first token."""

    start: int
    pattern: bool
    variables: set[str] = field(default_factory=set)
    first: str | None = None


def _tokens(text: str) -> Iterator[re.Match[str]]:
    return _TOKEN.finditer(text)


def _groups(text: str) -> list[_Group]:
    """Every brace pair of ``text`` (inner ones first) with the variables it holds itself, not
    in the brace pairs nested in it.

    A brace pair is a group graph pattern unless it is the template of CONSTRUCT or the data
    block of VALUES (or of INSERT/DELETE DATA).
    """
    done: list[_Group] = []
    stack: list[_Group] = []
    previous: list[str] = []  # the words and symbols since the last brace, upper-cased
    for m in _tokens(text):
        kind, value = m.lastgroup, m.group()
        if kind == "comment":
            continue
        if stack and stack[-1].first is None:
            stack[-1].first = value.upper()
        if kind == "open":
            words = [w for w in previous if w not in ("(", ")") and not w.startswith(("?", "$"))]
            last = words[-1] if words else ""
            data = last in ("VALUES", "DATA") or (last == "CONSTRUCT" and not stack)
            stack.append(_Group(m.end(), pattern=not data))
            previous = []
        elif kind == "close":
            if not stack:
                raise CrimegraphError("malformed SPARQL: unbalanced '}'")
            done.append(stack.pop())
            previous = []
        else:
            if kind == "var" and stack:
                stack[-1].variables.add(value[1:])
            previous.append(value.upper() if kind == "word" else value)
    if stack:
        raise CrimegraphError("malformed SPARQL: unbalanced '{'")
    return done


def bind_values(text: str, bindings: Mapping[str, Term]) -> str:
    """``text`` with each variable of ``bindings`` bound by a VALUES block in every group
    pattern that mentions it itself (a group that only wraps a sub-select gets it inside the
    sub-select instead). Raises CrimegraphError when a variable occurs in no group pattern.

    Nested groups get their own block rather than one join at the top, which keeps the rows of
    an ordered sub-select in order for a GROUP_CONCAT above it.

    >>> from rdflib import URIRef
    >>> q = "SELECT * { { SELECT ?x WHERE { ?x ?p ?c } } }"
    >>> print(bind_values(q, {"c": URIRef("x:1")}))
    SELECT * { { SELECT ?x WHERE { VALUES ?c { <x:1> } ?x ?p ?c } } }
    """
    if not bindings:
        return text
    inserts: list[tuple[int, str]] = []
    bound: set[str] = set()
    for group in _groups(text):
        if not group.pattern or group.first == "SELECT":
            continue
        names = [n for n in bindings if n in group.variables]
        bound.update(names)
        block = "".join(f" VALUES ?{n} {{ {bindings[n].n3()} }}" for n in names)
        if block:
            inserts.append((group.start, block))
    missing = sorted(set(bindings) - bound)
    if missing:
        raise CrimegraphError(f"the query has no variable ?{missing[0]} to bind")
    out = text
    for position, block in sorted(inserts, reverse=True):
        out = out[:position] + block + out[position:]
    return out


def declared_prefixes(text: str) -> set[str]:
    """The prefixes the prologue of ``text`` declares.

    >>> sorted(declared_prefixes("PREFIX cg: <x:> prefix : <y:> SELECT * {}"))
    ['', 'cg']
    """
    found: set[str] = set()
    words = [m for m in _tokens(text) if m.lastgroup != "comment"]
    for i, m in enumerate(words[:-1]):
        if m.group().upper() == "PREFIX" and words[i + 1].lastgroup == "pname":
            found.add(words[i + 1].group().split(":", 1)[0])
    return found


def with_prefixes(text: str) -> str:
    """``text`` preceded by declarations of the crimegraph prefixes it uses but does not
    declare, so that any endpoint reads it as :func:`graph.query.run_query` does."""
    used = {
        m.group().split(":", 1)[0]
        for m in _tokens(text)
        if m.lastgroup == "pname" and m.group().split(":", 1)[0] in QUERY_PREFIX_IRIS
    }
    missing = sorted(used - declared_prefixes(text))
    lines = [f"PREFIX {p}: <{QUERY_PREFIX_IRIS[p]}>" for p in missing]
    return "\n".join([*lines, text]) if lines else text


def remote_text(text: str, bindings: Mapping[str, Term] | None = None) -> str:
    """The query as a remote endpoint should get it: prefixes declared, parameters bound."""
    return with_prefixes(bind_values(text, bindings or {}))
