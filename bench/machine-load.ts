/**
 * Every benchmark compares against a peer in the same run, but on a 2-core machine a background
 * process still moves the ratio (the integration tests leave Kafka, PostgreSQL and a Kubernetes
 * control plane running — about 0.7 of a core — and runs beside it read bench:train 0.96–1.02
 * where an idle machine read 1.04–1.16). Printed first, so a result carries the load it ran under.
 */
import { cpus, loadavg } from 'node:os';

/** Above this 1-minute load average per core the machine is not idle. */
const BUSY_PER_CORE = 0.25;

export function reportMachineLoad(): void {
  const [oneMinute] = loadavg();
  const cores = cpus().length;
  const line = `machine: ${cores} cores, load average ${oneMinute!.toFixed(2)} (1 min)`;
  if (oneMinute! / cores <= BUSY_PER_CORE) {
    console.log(line);
    return;
  }
  console.log(`${line} — NOT IDLE: the cores were busy in the last minute (another benchmark, a build, or the test services: infra/k8s/down, infra/kafka/down, infra/postgres/down), so the ratio below may be noisy`);
}
