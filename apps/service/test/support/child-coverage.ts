import { childCoverageEnv } from '../../../../vitest.child-coverage';

// Every process the tests start runs the built service: the services of service-process.ts and the
// session processes forked by the service (in-process or not) pass this environment on.
Object.assign(process.env, childCoverageEnv());
