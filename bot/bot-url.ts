/** Where a local client reaches the bot listening on `host:port` (all interfaces: loopback). */
export function botUrlFor(host: string, port: number): string {
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
}
