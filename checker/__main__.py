from __future__ import annotations

from checker.cli.app import main

if __name__ == "__main__":
    main(prog_name="cgt-check")
