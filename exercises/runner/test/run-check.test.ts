import fs from 'node:fs';
import { defineCheck, environment, fail, pass } from '../check-kit';
import { runCheck } from '../run-check';

const root = '/nowhere';

describe('runCheck', () => {
  test('runs criteria in order; after a failure later ones are not reached unless independent', async () => {
    const seen: string[] = [];
    const check = defineCheck({
      criteria: [
        {
          title: 'a',
          verify: async () => {
            seen.push('a');
            return pass();
          },
        },
        {
          title: 'b',
          verify: async () => {
            seen.push('b');
            return fail('b is wrong', 'look at b');
          },
        },
        {
          title: 'c',
          verify: async () => {
            seen.push('c');
            return pass();
          },
        },
        {
          title: 'd',
          independent: true,
          verify: async () => {
            seen.push('d');
            return pass();
          },
        },
      ],
    });
    const run = await runCheck(check, { root });
    expect(seen).toEqual(['a', 'b', 'd']);
    expect(run.results.map((r) => r.outcome.status)).toEqual([
      'pass',
      'fail',
      'not-reached',
      'pass',
    ]);
    expect(run.results[1].outcome).toEqual({
      status: 'fail',
      detail: 'b is wrong',
      next: 'look at b',
    });
    expect(run.exitCode).toBe(1);
  });

  test('every criterion passing is exit 0', async () => {
    const run = await runCheck(
      defineCheck({ criteria: [{ title: 'a', verify: async () => pass('ok') }] }),
      {
        root,
      },
    );
    expect(run.exitCode).toBe(0);
  });

  test('an environment verdict (and no failure) is exit 3, not the learner failing', async () => {
    const run = await runCheck(
      defineCheck({
        criteria: [
          { title: 'a', verify: async () => environment('PostgreSQL is down: start it') },
          { title: 'b', verify: async () => pass() },
        ],
      }),
      { root },
    );
    expect(run.results.map((r) => r.outcome.status)).toEqual(['environment', 'not-reached']);
    expect(run.exitCode).toBe(3);
  });

  test('a thrown port-in-use error is environmental; any other thrown error is a failure naming it', async () => {
    const inUse = Object.assign(
      new Error('listen EADDRINUSE: address already in use 127.0.0.1:3000'),
      {
        code: 'EADDRINUSE',
      },
    );
    const run = await runCheck(
      defineCheck({
        criteria: [
          {
            title: 'a',
            verify: async () => {
              throw inUse;
            },
          },
          {
            title: 'b',
            independent: true,
            verify: async () => {
              throw new Error('Cannot find module ./countries');
            },
          },
        ],
      }),
      { root },
    );
    expect(run.results[0].outcome).toMatchObject({ status: 'environment' });
    expect((run.results[0].outcome as { detail: string }).detail).toMatch(/port is already in use/);
    expect(run.results[1].outcome).toMatchObject({ status: 'fail' });
    expect((run.results[1].outcome as { detail: string }).detail).toMatch(
      /Cannot find module \.\/countries/,
    );
    expect(run.exitCode).toBe(1);
  });

  test('once runs shared work once; temp folders are removed and cleanups run last-first after the check', async () => {
    let runs = 0;
    const order: string[] = [];
    let dir = '';
    const check = defineCheck({
      criteria: [
        {
          title: 'a',
          async verify(ctx) {
            dir = ctx.tempDir('scratch db');
            fs.writeFileSync(`${dir}/x`, '1');
            ctx.defer(() => order.push('first registered'));
            ctx.defer(() => order.push('second registered'));
            await ctx.once('k', async () => ++runs);
            return pass();
          },
        },
        {
          title: 'b',
          async verify(ctx) {
            expect(fs.existsSync(dir)).toBe(true);
            return (await ctx.once('k', async () => ++runs)) === 1 ? pass() : fail('ran twice', '');
          },
        },
      ],
    });
    const run = await runCheck(check, { root });
    expect(run.exitCode).toBe(0);
    expect(runs).toBe(1);
    expect(order).toEqual(['second registered', 'first registered']);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('defineCheck refuses a check without criteria', () => {
    expect(() => defineCheck({ criteria: [] })).toThrow(/at least one criterion/);
  });
});
