// @ts-check
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';

/**
 * The machine a run measured: printed above the table and kept in results.json.
 * @typedef {object} MachineInfo
 * @property {string} cpu
 * @property {number} cores logical cores
 * @property {number} availableParallelism
 * @property {string} node
 * @property {string} os
 * @property {number} memoryGiB
 * @property {number[]} loadAverage 1, 5 and 15 minute load when the run started (other work makes numbers noisy)
 * @property {string} date ISO time the run started
 */

/** @returns {MachineInfo} */
export function machineInfo() {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    availableParallelism: availableParallelism(),
    node: process.version,
    os: `${platform()} ${release()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  };
}

/**
 * One line describing the machine.
 * @param {MachineInfo} m
 */
export function describeMachine(m) {
  return (
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}; ` +
    `load ${m.loadAverage.join(' ')} at start; ${m.date}`
  );
}
