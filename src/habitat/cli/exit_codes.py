"""The `habitat` command's exit statuses, and the one way an error is reported."""

from __future__ import annotations

import sys

#: Everything asked was done.
EXIT_OK = 0
#: A sweep finished with some failed points (listed in failures.json); a check found problems.
EXIT_SOME_FAILED = 1
#: Bad input (a file, a flag, an override): nothing was run.
EXIT_BAD_INPUT = 2
#: A sweep's Dask cluster went away (or a late worker ran other code): finished points
#: are kept, and the same command resumes.
EXIT_CLUSTER_LOST = 3
#: The command needs an extra that is not installed (`pip install habitat-inclusif[app]`):
#: nothing was run.
EXIT_MISSING_EXTRA = 4
#: Interrupted by Ctrl-C, as shells report SIGINT.
EXIT_INTERRUPTED = 130


def fail(command: str, message: str) -> int:
    """Print `habitat COMMAND: error: MESSAGE` on stderr.

    Args:
        command: the command as typed, e.g. "db backup".
        message: what is wrong, starting with the flag or argument at fault.

    Returns:
        EXIT_BAD_INPUT, for the command to return.
    """
    print(f"habitat {command}: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT
