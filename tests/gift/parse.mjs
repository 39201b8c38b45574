// Test helper: parse a GIFT file with gift-pegjs (a GIFT parser someone else wrote) and
// print the parsed list (categories and questions, in file order) as JSON on stdout.
//
//   npm install --prefix tests/gift      # once: gift-pegjs, pinned in package.json
//   node tests/gift/parse.mjs FILE.gift
//
// A syntax error prints FILE:LINE:COLUMN: message on stderr and exits with status 1.
import { readFileSync } from "node:fs";

import giftPegjs from "gift-pegjs";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node parse.mjs FILE.gift\n");
  process.exit(2);
}
const text = readFileSync(file, "utf8");
let questions;
try {
  questions = giftPegjs.parse(text);
} catch (error) {
  if (error instanceof giftPegjs.SyntaxError) {
    const { line, column } = error.location.start;
    process.stderr.write(`${file}:${line}:${column}: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
process.stdout.write(JSON.stringify(questions, null, 1) + "\n");
