/**
 * Launching the system's chromium for the browser oracles, never a downloaded one. Headless
 * chromium on a machine without a GPU still has WebGL2 and WebGPU through SwiftShader (a CPU
 * implementation of Vulkan), which executes the runtimes' real shader code.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Where chromium is looked for: $CONVCHECK_CHROMIUM, then Debian's and other usual paths. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env['CONVCHECK_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

/**
 * The flags. On a machine without a GPU (the default), WebGL goes through ANGLE on SwiftShader
 * and WebGPU through Dawn's SwiftShader adapter. With CONVCHECK_BROWSER_GPU=hardware the
 * SwiftShader flags are left out so chromium uses the real GPU (WebGPU still needs
 * --enable-unsafe-webgpu on Linux).
 */
export function chromiumFlags(): string[] {
  const flags = ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan'];
  if (process.env['CONVCHECK_BROWSER_GPU'] !== 'hardware') flags.push('--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--use-angle=swiftshader');
  return flags;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no chromium found (set CONVCHECK_CHROMIUM, or `npm run setup` installs Debian\'s chromium)');
  const { chromium } = await import('playwright-core');
  // playwright-core talks to chromium over a pipe: if this process dies (the oracle host is
  // killed after a timeout), the pipe closes and chromium exits with it.
  return chromium.launch({ executablePath, headless: true, args: chromiumFlags() });
}
