"""How a run is ended from inside: a limit was reached, or a deadlock found."""


class StopProgram(KeyboardInterrupt):
    """Ends the learner's program from inside: a limit was reached, or a deadlock found.

    A KeyboardInterrupt, because asyncio lets those escape task steps and the loop, where an
    ordinary exception would be kept in a task while the loop went on.
    """

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason
        self.message = message
