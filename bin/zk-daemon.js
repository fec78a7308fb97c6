#!/usr/bin/env node
import { main } from "../dist/cli/zk-daemon.js";
await main(process.argv.slice(2));
