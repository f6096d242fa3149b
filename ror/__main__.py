"""`python -m ror`: the command line of the ROR dashboard."""

import sys

from ror.cli import main

sys.exit(main())
