// Looks through everything a test run wrote for the test's API key: logs, settings, storage, videos, sidecars.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ScanResult {
  scanned: string[];
  leaks: string[];
}

/** Every regular file under `roots` whose bytes contain `secret`. */
export function filesContaining(roots: string[], secret: string): ScanResult {
  const needle = Buffer.from(secret);
  const result: ScanResult = { scanned: [], leaks: [] };
  const visit = (entry: string): void => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(entry);
    } catch {
      return; // removed while scanning
    }
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
    } else if (stat.isFile()) {
      result.scanned.push(entry);
      if (fs.readFileSync(entry).includes(needle)) result.leaks.push(entry);
    }
  };
  for (const root of roots) visit(root);
  return result;
}
