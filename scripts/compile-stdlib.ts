/**
 * `npm run build:stdlib`: Pyodide's standard library with its bytecode compiled ahead of time.
 *
 * Pyodide ships python_stdlib.zip with sources only (559 .py files, no .pyc), so every start of
 * an interpreter compiles each module it imports: 145 modules, 3.1 MB of source, before a
 * plain Pyodide is even up — about 1.5 s of its cold start on the 2-core machine this was
 * written on, against ~0.07 s to load the same code compiled (measured here, Pyodide 314.0.7).
 * This writes out/pyodide/python_stdlib.zip: every entry of Pyodide's zip as it was, and beside
 * each module `name.py` its bytecode `name.pyc`, compiled by the same CPython (Pyodide's own,
 * run here in Node) under the very file name zipimport would have given it
 * (`/lib/python314.zip/…`), so tracebacks and traces read the same. The .pyc files are
 * unchecked hash-based (PEP 552): the zip is read-only and built with its sources, so there is
 * nothing to check.
 *
 * Deterministic: the same Pyodide gives a byte-identical zip (entries keep their dates), so
 * the runtime's identity (build/runtime-id.ts) hashes its input and this script, not its output.
 * Skipped when the output is already there for this input.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { REPO_ROOT } from '../build/repo-root.ts';
import { compiledStdlibPath, pyodideStdlibPath, stdlibIdentity } from '../build/stdlib.ts';

const out = compiledStdlibPath();
const stamp = `${out}.sha256`;
const identity = stdlibIdentity();

if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === identity) {
  process.stdout.write('compile-stdlib: up to date\n');
  process.exit(0);
}

const started = performance.now();
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (text) => process.stderr.write(`${text}\n`) });
pyodide.FS.writeFile('/tmp/stdlib-in.zip', readFileSync(pyodideStdlibPath()));
const report = pyodide.runPython(`
import importlib.util, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

ARCHIVE = "/lib/python314.zip"   # where Pyodide mounts the standard library (sys.path)
compiled, skipped = 0, []
with zipfile.ZipFile("/tmp/stdlib-in.zip") as source_zip, \\
        zipfile.ZipFile("/tmp/stdlib-out.zip", "w") as out_zip:
    names = set(source_zip.namelist())
    for info in source_zip.infolist():
        data = source_zip.read(info)
        out_zip.writestr(info, data)
        if not info.filename.endswith(".py") or info.filename + "c" in names:
            continue
        try:
            code = compile(data, f"{ARCHIVE}/{info.filename}", "exec", dont_inherit=True)
        except SyntaxError as error:  # test data that is not Python on purpose
            skipped.append(f"{info.filename}: {error.msg}")
            continue
        pyc = zipfile.ZipInfo(info.filename + "c", date_time=info.date_time)
        pyc.compress_type = info.compress_type
        pyc.external_attr = info.external_attr
        out_zip.writestr(pyc, _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
        compiled += 1
f"{compiled} modules compiled" + (f"; not compiled: {', '.join(skipped)}" if skipped else "")
`) as string;
const bytes = pyodide.FS.readFile('/tmp/stdlib-out.zip');
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(`${out}.tmp`, bytes);
renameSync(`${out}.tmp`, out);
writeFileSync(stamp, identity);
const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
process.stdout.write(
  `compile-stdlib: ${report}; ${(bytes.length / 2 ** 20).toFixed(1)} MB (sha256 ${sha}…) in ${((performance.now() - started) / 1000).toFixed(1)} s → ${out.replace(`${REPO_ROOT}/`, '')}\n`,
);
