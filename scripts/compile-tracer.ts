/**
 * The tracer package's bytecode (src/runtime/python/_looplab), compiled ahead of time by the
 * CPython the app ships (Pyodide's, run here in Node) under the very file names the engine
 * writes the sources to (tracer-place.ts), so that tracebacks and the tracer's own checks of
 * its frames read the same: out/pyodide/tracer-bytecode.json (build/tracer-bytecode.ts says why).
 * Checked-hash-based .pyc files (PEP 552): Python uses one only for the source it came from.
 * Skipped when the output is there already for these sources.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { REPO_ROOT } from '../build/repo-root.ts';
import { tracerBytecodeIdentity, tracerBytecodePath } from '../build/tracer-bytecode.ts';
import { TRACER_DIR, type TracerBytecode } from '../src/runtime/tracer-place.ts';

const out = tracerBytecodePath();
const stamp = `${out}.sha256`;
const identity = tracerBytecodeIdentity();
try {
  if (readFileSync(stamp, 'utf8') === identity && readFileSync(out).length > 0) {
    process.stdout.write('compile-tracer: up to date\n');
    process.exit(0);
  }
} catch {
  // Not made yet.
}

const started = performance.now();
const sourceDir = join(REPO_ROOT, 'src/runtime/python/_looplab');
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (text) => process.stderr.write(`${text}\n`) });
const names = readdirSync(sourceDir).filter((f) => f.endsWith('.py')).sort();
pyodide.FS.mkdirTree('/tmp/tracer-in');
for (const name of names) pyodide.FS.writeFile(`/tmp/tracer-in/${name}`, readFileSync(join(sourceDir, name)));
let report: string;
try {
  report = pyodide.runPython(`
import base64, importlib.util, json, os, sys
from importlib._bootstrap_external import _code_to_hash_pyc

files = {}
for name in sorted(os.listdir("/tmp/tracer-in")):
    with open(f"/tmp/tracer-in/{name}", "rb") as f:
        data = f.read()
    code = compile(data, f"${TRACER_DIR}/_looplab/{name}", "exec", dont_inherit=True)
    files[name] = base64.b64encode(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=True)).decode()
json.dumps({"cacheTag": sys.implementation.cache_tag, "files": files})
`) as string;
} catch (error) {
  // A module that does not compile: its error's last lines (Pyodide's message holds the whole traceback).
  const lines = String(error instanceof Error ? error.message : error).trim().split('\n');
  process.stderr.write(`compile-tracer: ${lines.slice(-6).join('\n')}\n`);
  process.exit(1);
}
const compiled = JSON.parse(report) as TracerBytecode;
if (Object.keys(compiled.files).length !== names.length) throw new Error('compile-tracer: a module was not compiled');
mkdirSync(dirname(out), { recursive: true });
// Each through a file of this process's own, then renamed: two builds at once (a test run and
// the dev server, after a tracer edit) never read one another's half-written file.
writeWhole(out, JSON.stringify(compiled));
writeWhole(stamp, identity);
function writeWhole(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

const bytes = Object.values(compiled.files).reduce((sum, b64) => sum + (b64.length * 3) / 4, 0);
process.stdout.write(
  `compile-tracer: ${names.length} modules, ${(bytes / 1024).toFixed(0)} kB of bytecode (${compiled.cacheTag}) in ${((performance.now() - started) / 1000).toFixed(1)} s → ${out.replace(`${REPO_ROOT}/`, '')}\n`,
);
