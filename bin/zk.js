#!/usr/bin/env node
import { main } from '../dist/cli/zk.js';
main(process.argv);
