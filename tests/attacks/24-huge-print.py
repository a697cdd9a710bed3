# Attack: one enormous print, to hold the page
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import sys
def huge():
    sys.stdout.write("z" * 50_000_000)
    return "printed 50 MB"
attempt("50 MB in one write", huge)
