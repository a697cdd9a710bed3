# Attack: switch the step budget off by changing the numbers of the recorder that holds it
# sys.stdout is Loop Lab's, and holds the run's recorder: with its budget, its time limit and
# its batch raised, code the program compiled itself ran on past the budget, unseen, until the
# host's real-time allowance (75 s in the CLI). The run must end at its step budget.
import sys

rec = sys.stdout._rec
rec.max_steps = 10**15
rec.wall_limit = 10**9
rec.batch = 10**12
rec.foreign_steps = -10**15
print("before")
exec(compile("n = 0\nwhile True:\n    n += 1\n", "<made here>", "exec"))
print("ESCAPED: code the program compiled itself ran forever without meeting the budget")
