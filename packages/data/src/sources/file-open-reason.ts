/** Why a data file could not be opened or read, in words ("no such file", "permission denied", ...). */
export function fileOpenReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? 'no such file'
    : code === 'EACCES'
      ? 'permission denied'
      : code === 'EISDIR'
        ? 'it is a folder'
        : (error as Error).message;
}
