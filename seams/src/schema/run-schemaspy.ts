import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseDatabaseUrl } from '../../../common/src/database';

export interface SchemaSpyResult {
  ran: boolean;
  output?: string;
  reason?: string;
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Runs SchemaSpy next to the built-in extraction when it is installed (a
 * `schemaspy` command on PATH, or SCHEMASPY_JAR with `java`). Optional: the
 * built-in reader needs no Java and is always used.
 */
export function runSchemaSpy(db: string, outDir: string): SchemaSpyResult {
  const jar = process.env.SCHEMASPY_JAR;
  const command = onPath('schemaspy');
  if (!command && !jar)
    return { ran: false, reason: 'schemaspy is not on PATH and SCHEMASPY_JAR is not set' };
  const target = parseDatabaseUrl(db, 'seams');
  const output = path.join(outDir, 'schemaspy');
  let connection: string[];
  if (target.engine === 'sqlite')
    connection = ['-t', 'sqlite-xerial', '-db', target.location, '-sso', '-cat', '%'];
  else {
    const url = new URL(target.location);
    connection = [
      '-t',
      'pgsql11',
      '-host',
      url.hostname,
      '-port',
      url.port || '5432',
      '-db',
      url.pathname.slice(1),
      '-u',
      decodeURIComponent(url.username || 'postgres'),
    ];
    // SECURITY: the password goes through the environment of the child, never its command line.
    if (url.password) connection.push('-p', '$PGPASSWORD');
  }
  const [bin, args] = command
    ? [command, [...connection, '-o', output]]
    : ['java', ['-jar', jar as string, ...connection, '-o', output]];
  const result = spawnSync(bin, args, { encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0)
    return {
      ran: false,
      reason: `schemaspy exited with ${result.status ?? result.signal}: ${(result.stderr || result.error?.message || '').slice(0, 300)}`,
    };
  return { ran: true, output: path.join(output, 'index.html') };
}
