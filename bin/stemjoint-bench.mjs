#!/usr/bin/env node
// `npm run bench`: the benchmark suite (see bench/run.ts).
import { register } from 'tsx/esm/api';

register();
await import('../bench/run.ts');
