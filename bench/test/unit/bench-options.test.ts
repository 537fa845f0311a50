import { expect } from 'chai';
import { parseBenchOptions } from '../../dist/bench-options.js';

describe('bench options', () => {
  it('warms up 8 s by default (200 ms with --quick), or as --warmup says', () => {
    expect(parseBenchOptions([], '/repo').plan.warmupMs).to.equal(8000);
    expect(parseBenchOptions(['--quick'], '/repo').plan.warmupMs).to.equal(200);
    expect(parseBenchOptions(['--warmup', '2500'], '/repo').plan.warmupMs).to.equal(2500);
    expect(() => parseBenchOptions(['--warmup', 'soon'], '/repo')).to.throw(/--warmup takes milliseconds/);
    expect(() => parseBenchOptions(['--warmup'], '/repo')).to.throw(/--warmup needs a value/);
  });

  it('passes --node-flags to the daemons as separate flags', () => {
    expect(parseBenchOptions([], '/repo').nodeFlags).to.deep.equal([]);
    expect(parseBenchOptions(['--node-flags', '--perf-basic-prof  --trace-deopt', '--quick'], '/repo').nodeFlags).to.deep.equal(['--perf-basic-prof', '--trace-deopt']);
    expect(() => parseBenchOptions(['--profile', '--quick'], '/repo')).to.throw(/--profile needs a value/);
  });
});
