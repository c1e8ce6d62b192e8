"""`python -m habitat.cli`: the `habitat` command."""

import sys

from habitat.cli.main import main

sys.exit(main())
