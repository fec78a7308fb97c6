#!/usr/bin/env node
import { main } from '../dist/cli/zk-daemon.js';
main(process.argv);
