"""``{{ names|named:id }}``: the name of an id in a mapping the view made (a round's kind,
say), or the id itself when it has none."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def named(names: dict[str, str], key: str) -> str:
    return names.get(key, key)
