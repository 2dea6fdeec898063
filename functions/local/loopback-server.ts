import type { Server } from 'node:http';

/**
 * A loopback server of the local stack keeps its idle connections open until the client closes
 * them. Node's default closes one after 5 s idle; an SDK client whose event loop was busy meanwhile
 * may not have seen that close yet, sends its next request down the socket and gets ECONNRESET.
 * The digest scheduler test lost a digest so (ECONNRESET on every attempt of one request) in 3 of
 * 15 runs beside two other suites under Pacific/Chatham, and in none of 10 runs since.
 */
export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = 0;
}
