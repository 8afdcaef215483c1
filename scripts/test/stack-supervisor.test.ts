import { type ChildProcess, spawn } from 'node:child_process';
import { StackSupervisor } from '../stack-supervisor';

const idle = () =>
  spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });

async function until(check: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the demo stack supervisor', () => {
  let supervisor: StackSupervisor<{ name: string }>;
  const log: string[] = [];
  const startupExits: string[] = [];
  const restarted: ChildProcess[] = [];

  beforeEach(() => {
    log.length = 0;
    startupExits.length = 0;
    restarted.length = 0;
    supervisor = new StackSupervisor({
      spawn: idle,
      log: (line) => log.push(line),
      onStartupExit: (member, how) => startupExits.push(`${member.name} ${how}`),
      onRestart: (_member, child) => restarted.push(child),
      backoff: { initialMs: 100, maxMs: 300, resetAfterMs: 60_000 },
    });
  });
  afterEach(() => supervisor.stop(1000));

  it('when a member exits while the stack starts, then the exit is reported instead of restarted', async () => {
    const child = supervisor.start({ name: 'catalog-service' });
    child.kill('SIGKILL');
    await until(() => startupExits.length > 0, 'the startup exit');
    expect(startupExits).toEqual(['catalog-service SIGKILL']);
    expect(restarted).toHaveLength(0);
  });

  it('when a member is killed with -9, then it is restarted and logged, and the others keep running', async () => {
    const catalog = supervisor.start({ name: 'catalog-service' });
    const proxy = supervisor.start({ name: 'proxy' });
    supervisor.superviseFromNowOn();
    catalog.kill('SIGKILL');
    await until(() => restarted.length === 1, 'the restart');
    const again = supervisor.child('catalog-service')!;
    expect(again.pid).not.toBe(catalog.pid);
    expect(again.exitCode).toBeNull();
    expect(proxy.exitCode).toBeNull();
    expect(supervisor.child('proxy')).toBe(proxy);
    expect(log[0]).toMatch(
      /^catalog-service stopped unexpectedly \(SIGKILL\) after [\d.]+s; restarting it in 0\.1s \(crash 1 in a row\)/,
    );
    expect(log[1]).toBe(`catalog-service restarted (pid ${again.pid})`);
  });

  it('when members crash in a row, then the pause doubles for each, up to the maximum', async () => {
    supervisor.start({ name: 'finance-service' });
    supervisor.superviseFromNowOn();
    for (let crash = 1; crash <= 4; crash++) {
      supervisor.child('finance-service')!.kill('SIGKILL');
      await until(() => restarted.length === crash, `restart ${crash}`);
    }
    const pauses = log
      .filter((line) => line.includes('restarting it in'))
      .map((line) => /restarting it in ([\d.]+)s/.exec(line)![1]);
    expect(pauses).toEqual(['0.1', '0.2', '0.3', '0.3']);
  });

  it('when the stack stops, then everything stops and a restart that was pending does not happen', async () => {
    const a = supervisor.start({ name: 'a' });
    const b = supervisor.start({ name: 'b' });
    supervisor.superviseFromNowOn();
    a.kill('SIGKILL');
    await until(() => log.length === 1, 'the crash to be seen');
    await supervisor.stop(1000);
    expect(b.exitCode !== null || b.signalCode !== null).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    expect(restarted).toHaveLength(0);
  });
});
