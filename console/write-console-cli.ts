import { resolve } from 'node:path';
import { writeConsole } from './build.js';

// `node --import tsx console/write-console-cli.ts <dir>`: CDK bundling writes the console beside the
// admin function's handler with it.
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node --import tsx console/write-console-cli.ts <dir>');
  process.exit(2);
}
const built = await writeConsole(resolve(dir));
console.log(`console written to ${resolve(dir)}: ${built.files.map((file) => file.name).join(', ')}`);
