#!/usr/bin/env node
import { main } from "../dist/cli/zk.js";
await main(process.argv.slice(2));
