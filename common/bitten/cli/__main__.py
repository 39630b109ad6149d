"""`python -m bitten.cli` is the `bitten` command."""

import sys

from bitten.cli import main

sys.exit(main())
