// A child process of the fleet bench: benchFleet (bench/fleet.bench.ts) forks
// dist/bench/fleet-worker.cjs, which bench/run.mjs bundles beside every entry it runs.
import { runFleetWorker } from './fleet.bench';

runFleetWorker();
