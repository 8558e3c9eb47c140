"""`python -m desktop`: the same entry point as the `isotrack` command."""

from desktop.main import main

raise SystemExit(main())
