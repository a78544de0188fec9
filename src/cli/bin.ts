#!/usr/bin/env node
// The installed `harden` command: run main and leave the exit code for Node to use.
import { hideBin } from 'yargs/helpers';
import { main } from './main.js';

process.exitCode = await main(hideBin(process.argv));
