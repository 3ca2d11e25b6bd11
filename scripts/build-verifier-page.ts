// Writes the offline proof-verifier page to dist/verify.html (npm run build:verifier): one self-contained
// HTML file a venue publishes and a customer saves and opens with no network.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { buildVerifierPage } from '../src/web/proof-verifier/build-page.ts';

const OUTPUT_PATH = resolve(import.meta.dirname, '../dist/verify.html');

const html = await buildVerifierPage();
await mkdir(dirname(OUTPUT_PATH), { recursive: true });
await writeFile(OUTPUT_PATH, html, 'utf8');
console.log(`wrote ${relative(process.cwd(), OUTPUT_PATH)} (${Buffer.byteLength(html)} bytes)`);
