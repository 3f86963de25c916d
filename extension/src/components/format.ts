/** 1234 -> "1.2 kB" (SI units, like the file browser). */
export function formatBytes(n: number): string {
  if (n < 1000) {
    return `${n} B`;
  }
  const units = ['kB', 'MB', 'GB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/**
 * The service's admin page under `baseUrl` (which ends with `/`). `user`: the standalone
 * (vngshare) user name setting, which that mode reads from the URL; under JupyterHub the browser's
 * login to the service decides.
 */
export function adminPageUrl(baseUrl: string, user?: string): string {
  return `${baseUrl}admin${user ? `?user=${encodeURIComponent(user)}` : ''}`;
}
