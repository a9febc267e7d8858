/** Errors every command reports the same way. */

/** "cannot read PATH: ENOENT" for a file that is missing, a directory, or unreadable; else undefined. */
export function unreadable(e: unknown): string | undefined {
  const ex = e as NodeJS.ErrnoException;
  if (ex?.code === 'ENOENT' || ex?.code === 'EISDIR' || ex?.code === 'EACCES') return `cannot read ${ex.path ?? 'input'}: ${ex.code}`;
  return undefined;
}
