// Starts the Wan test server for a person or the sandbox script: `node out/test/server/main.js [port]`.
// Prints the base URL alone on the first line of stdout; tasks take 3 s pending and 15 s running, like a short real wait.
import { WanTestServer } from './wanServer';

async function main(): Promise<void> {
  const port = process.argv[2] === undefined ? 0 : Number(process.argv[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Not a port number: ${process.argv[2]}`);
  const server = await WanTestServer.start({ port });
  server.defaultScript = { pendingMs: 3000, runningMs: 15000 };
  process.stdout.write(`${server.baseUrl}\n`);
  process.stderr.write('Wan test server running; any API key is accepted. Ctrl+C stops it.\n');
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
