/**
 * Where the ONNX backend test data is on this machine. Debian's `libonnx-testdata` installs it in
 * /usr/share/libonnx-testdata/data (node/, pytorch-converted/, pytorch-operator/, simple/, real/),
 * with symlinks from where onnx's Python and C++ packages look for it. $CONVCHECK_ONNX_TESTDATA
 * overrides the lookup (the data directory, or its node/ directory).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ONNX_TESTDATA_ENV = 'CONVCHECK_ONNX_TESTDATA';

/** Where libonnx-testdata puts the data (`dpkg -L libonnx-testdata`), the real directory first. */
export const DEBIAN_TESTDATA_DIRS: readonly string[] = [
  '/usr/share/libonnx-testdata/data',
  '/usr/lib/python3/dist-packages/onnx/backend/test/data',
  '/usr/include/onnx/backend/test/data',
];

export interface TestDataLookup {
  /** The node-test directory (`…/data/node`, or the directory given itself when it has no node/). */
  readonly nodeDir?: string;
  /** The directories looked at, in order. */
  readonly looked: readonly string[];
  /** Whether the answer (or the failure) comes from $CONVCHECK_ONNX_TESTDATA. */
  readonly fromEnv: boolean;
  /** Why nothing was found: says what to install or set. */
  readonly message?: string;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const nodeDirOf = (d: string) => (isDir(join(d, 'node')) ? join(d, 'node') : d);

/**
 * Finds the ONNX node tests. A set $CONVCHECK_ONNX_TESTDATA is used as given and never falls back
 * to the standard places: a wrong value is reported, not hidden.
 */
export function findOnnxNodeTests(env: NodeJS.ProcessEnv = process.env, candidates: readonly string[] = DEBIAN_TESTDATA_DIRS): TestDataLookup {
  const fromEnv = env[ONNX_TESTDATA_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (isDir(fromEnv)) return { nodeDir: nodeDirOf(fromEnv), looked: [fromEnv], fromEnv: true };
    return { looked: [fromEnv], fromEnv: true, message: `$${ONNX_TESTDATA_ENV} is ${JSON.stringify(fromEnv)}, which is not a directory (unset it to use the Debian package: \`apt-get install libonnx-testdata\`)` };
  }
  for (const [i, d] of candidates.entries()) if (isDir(d)) return { nodeDir: nodeDirOf(d), looked: candidates.slice(0, i + 1), fromEnv: false };
  return {
    looked: candidates,
    fromEnv: false,
    message:
      `the ONNX backend test data is not installed (looked in ${candidates.join(', ')}): ` +
      `run \`apt-get install libonnx-testdata\` (as root), or set $${ONNX_TESTDATA_ENV} to an onnx/backend/test/data directory`,
  };
}
