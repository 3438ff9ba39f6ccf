"""cgt-checker: a rules-based compliance checker for CGT product dossiers submitted to China's CDE."""

from __future__ import annotations

__version__ = "0.2.0"

__all__ = ["__version__"]
