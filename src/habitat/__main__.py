"""`python -m habitat`: the `habitat` command."""

import sys

from habitat.cli import main

sys.exit(main())
