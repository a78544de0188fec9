#!/usr/bin/env node
// The installed `harden` command: run main and leave the exit code for Node to use.
import { hideBin } from 'yargs/helpers';
import { main } from './main.js';

// A reader that stops early (`harden rules | head`) closes the pipe: stop writing, without a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.stdout.destroy();
});

process.exitCode = await main(hideBin(process.argv));
