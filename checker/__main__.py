from __future__ import annotations

from checker.cli.app import run

if __name__ == "__main__":
    run()
