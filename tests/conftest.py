"""Every test run uses its own cache (rule packs, dossier validator), never the user's, and no
cache key of the environment's (the tests that need one set it)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_pack_cache() -> Iterator[None]:
    with tempfile.TemporaryDirectory(prefix="cgt-checker-cache-") as d:
        old = os.environ.get("CGT_CHECKER_CACHE_DIR")
        key = os.environ.pop("CGT_CHECKER_CACHE_KEY", None)
        os.environ["CGT_CHECKER_CACHE_DIR"] = d
        try:
            yield
        finally:
            if key is not None:
                os.environ["CGT_CHECKER_CACHE_KEY"] = key
            if old is None:
                os.environ.pop("CGT_CHECKER_CACHE_DIR", None)
            else:
                os.environ["CGT_CHECKER_CACHE_DIR"] = old
