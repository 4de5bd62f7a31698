"""Is a JSON value a flow record of ``docs/flows.md``? Checked before it is read.

Flow files (``build --flows``) and cache entries are JSON written by someone else or by an older
crimegraph; a value of the wrong shape (``[]``, ``null``, ``{"flows": ["x"]}``,
``"subject": ["KAZ"]``) must become a one-line error or a cache miss, never an internal error and
never a silent empty result. :func:`shape_problem` says what is wrong, or None.

>>> shape_problem({"document": "a.txt", "subject": "KAZ", "flows": [{"market": "heroin-trade"}]})
>>> shape_problem([])
'not a JSON object'
>>> shape_problem({"flows": ["x"]})
'flows[0] is not an object'
>>> shape_problem({"subject": ["KAZ"], "flows": []})
"'subject' is not a string"
"""

from __future__ import annotations

from typing import Any

_TEXT_FIELDS = ("commodity", "route", "evidence", "hedge")
_LIST_FIELDS = ("origin", "destination", "mode", "checkpoints", "places", "actors")


def _text_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _strings(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(x, str) for x in value))


def flow_problem(flow: Any, where: str) -> str | None:
    """What is wrong with one flow object, or None."""
    if not isinstance(flow, dict):
        return f"{where} is not an object"
    if not isinstance(flow.get("market"), str) or not flow["market"].strip():
        return f"{where} has no 'market' string"
    for key in _TEXT_FIELDS:
        if not _text_or_none(flow.get(key)):
            return f"{where}.{key} is not a string"
    for key in _LIST_FIELDS:
        if not _strings(flow.get(key)):
            return f"{where}.{key} is not a list of strings"
    transit = flow.get("transit")
    if transit is not None and not (
        isinstance(transit, list)
        and all(isinstance(s, str) or (s is not None and _strings(s)) for s in transit)
    ):
        return f"{where}.transit is not a list of places or lists of places"
    span = flow.get("span")
    if span is not None and not (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in span)
    ):
        return f"{where}.span is not [start, end]"
    if not isinstance(flow.get("optional", False), bool):
        return f"{where}.optional is not true or false"
    return None


def shape_problem(data: Any) -> str | None:
    """What keeps ``data`` from being a document's flow record, or None when it is one."""
    if not isinstance(data, dict):
        return "not a JSON object"
    for key in ("document", "subject"):
        if not _text_or_none(data.get(key)):
            return f"{key!r} is not a string"
    flows = data.get("flows")
    if not isinstance(flows, list):
        return "no 'flows' list"
    for n, flow in enumerate(flows):
        problem = flow_problem(flow, f"flows[{n}]")
        if problem:
            return problem
    return None
