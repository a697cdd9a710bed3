# Oracle: plain Pyodide (CPython 3.14): how 3.14 shows a compile-time error.
# Compare: all of stderr
# A SyntaxError the compiler finds, after a form feed: python3 shows the line that has it.
x = 1

y = 2
return x
