# Attack: escape the line budget with code the program compiles itself
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

# The run must end at its step budget (a limit), not run on unseen.
print("before")
exec(compile("n = 0\nwhile True:\n    n += 1\n", "<made>", "exec"))
print("ESCAPED: exec'd code ran forever without meeting the budget")
