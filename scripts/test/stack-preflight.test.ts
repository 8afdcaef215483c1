import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findPortOwner } from '../port-owner';
import {
  acquireStackLock,
  assertPortsFree,
  preflightDemoStack,
  StackBusyError,
} from '../stack-preflight';

async function listen(): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

describe('before the demo stack starts anything', () => {
  let dir: string;
  const said: string[] = [];
  const say = (line: string) => said.push(line);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-preflight-'));
    said.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when a second stack starts on the same data folder, then it is refused naming the process that holds the lock', () => {
    const lockFile = path.join(dir, 'demo-stack.lock');
    // A live holder: this test process stands in for the first launcher.
    fs.writeFileSync(
      lockFile,
      JSON.stringify({ pid: process.pid, startedAt: 'earlier', ports: {} }),
    );
    const before = fs.readFileSync(lockFile, 'utf8');
    const attempt = () => acquireStackLock(dir, {}, say);
    expect(attempt).toThrow(StackBusyError);
    expect(attempt).toThrow(
      new RegExp(
        `a demo stack is already running on .*: pid ${process.pid} \\(.*node.*\\), started earlier`,
      ),
    );
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(before);
  });

  it('when a launcher was killed, then its lock is taken over, and the new one releases its own', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(dead.stdout);
    const lockFile = path.join(dir, 'demo-stack.lock');
    fs.writeFileSync(lockFile, JSON.stringify({ pid: deadPid, startedAt: 'x', ports: {} }));
    const lock = acquireStackLock(dir, { proxy: 8080 }, say);
    expect(said.join('\n')).toContain(`it names pid ${deadPid}, which is no longer running`);
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({
      pid: process.pid,
      ports: { proxy: 8080 },
    });
    lock.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('when a port is in use, then the message names the port, its member and the process that listens on it', async () => {
    const server = await listen();
    try {
      const port = portOf(server);
      expect(findPortOwner(port)).toMatchObject({ pid: process.pid });
      await expect(assertPortsFree({ proxy: port })).rejects.toThrow(
        new RegExp(`port ${port} \\(proxy\\) is in use by pid ${process.pid} \\(.*node`),
      );
    } finally {
      server.close();
    }
  });

  it('when a port is busy, then the lock is released, so the next try is not blocked by a stale lock', async () => {
    const server = await listen();
    try {
      await expect(preflightDemoStack(dir, { monolith: portOf(server) }, say)).rejects.toThrow(
        /STRANGLER_DEMO_PORTS/,
      );
      expect(fs.existsSync(path.join(dir, 'demo-stack.lock'))).toBe(false);
    } finally {
      server.close();
    }
  });
});
