"""Compiled templates kept between commands, signed as the rules cache is.

Compiling the plan's templates is the largest part of a ``plan`` command's start (about
0.2 s of code generation, every process); the compiled code only changes with the
template's text (Jinja checks its checksum), Jinja's version and Python's. Compiled code
runs when loaded, so it is kept only in the rules cache's private folder under the same
per-user key: an entry that does not verify is compiled again, never loaded.
"""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from engine.loading.cache import cached_bytes, keep_bytes


class SignedBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache on the signed private cache; one per environment options
    (``variant``), since autoescaping and finalisers change the compiled code."""

    def __init__(self, variant: str):
        self.variant = variant

    def load_bytecode(self, bucket: Bucket) -> None:
        data = cached_bytes(self._name(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja drops it if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        keep_bytes(self._name(bucket), bucket.bytecode_to_string())

    def _name(self, bucket: Bucket) -> str:
        return f"template-{jinja2.__version__}-{self.variant}-{bucket.key}"
