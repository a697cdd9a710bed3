# Attack: starting processes with subprocess
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
def attempt(label, action):
    try:
        result = action()
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}")
    else:
        print(f"ESCAPED: {label}: {result!r}"[:300])

import subprocess
attempt("subprocess.run(['id'])", lambda: subprocess.run(["id"], capture_output=True).stdout)
attempt("subprocess.Popen('id', shell=True)", lambda: subprocess.Popen("id", shell=True).wait())
attempt("check_output(['ls', '/'])", lambda: subprocess.check_output(["ls", "/"]))
