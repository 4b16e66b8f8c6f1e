"""The one exception type the CLI turns into a one-line message and an exit code."""

# Exit codes shared by every command.
EXIT_FAILED = 1  # the command ran and found a failure (a failed check, a failed migration)
EXIT_CANNOT_RUN = 2  # bad input, unreachable server, missing extension: nothing was done


class ConsoleError(Exception):
    """An expected failure: `message` is one line for a person, `exit_code` is what the CLI returns."""

    def __init__(self, message: str, exit_code: int = EXIT_CANNOT_RUN) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
