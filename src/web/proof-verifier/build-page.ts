// Builds the offline proof-verifier page: bundles verifier-page.ts (and the core verifier it imports) with
// esbuild into one script and inlines it into page-template.html, giving one self-contained HTML file with
// no external references, which a customer can save and open with no network.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { assert } from '../../core/assert.ts';

/** The browser entry bundled into the page. */
const ENTRY_PATH = fileURLToPath(new URL('./verifier-page.ts', import.meta.url));
/** The page's markup and style; the script goes where the placeholder is. */
const TEMPLATE_PATH = fileURLToPath(new URL('./page-template.html', import.meta.url));
const SCRIPT_PLACEHOLDER = '/*RINGFENCE_VERIFIER_SCRIPT*/';

/** Thrown when the page cannot be built: the template is unreadable or esbuild refused the entry. */
export class VerifierPageBuildError extends Error {
  override readonly name = 'VerifierPageBuildError';
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
  }
}

/** Builds the verifier page as one self-contained HTML string (script inlined, no external references). */
export async function buildVerifierPage(): Promise<string> {
  let template: string;
  try {
    template = await readFile(TEMPLATE_PATH, 'utf8');
  } catch (cause) {
    throw new VerifierPageBuildError(`cannot read the page template ${TEMPLATE_PATH}`, { cause });
  }
  const script = await bundleVerifierScript();
  const parts = template.split(SCRIPT_PLACEHOLDER);
  assert(parts.length === 2, 'the page template has exactly one script placeholder');
  // Joined, not String.replace: a `$&` or `$'` in the minified script must stay literal.
  return `${parts[0]}${script}${parts[1]}`;
}

async function bundleVerifierScript(): Promise<string> {
  let output: string;
  try {
    const result = await build({
      entryPoints: [ENTRY_PATH],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      // ASCII output: the page's bytes do not depend on how the file is later saved or served.
      charset: 'ascii',
      logLevel: 'silent',
    });
    assert(result.outputFiles.length === 1, 'one entry bundles to one script');
    output = result.outputFiles[0]!.text;
  } catch (cause) {
    if (cause instanceof Error && cause.name === 'AssertionError') throw cause;
    throw new VerifierPageBuildError(`esbuild could not bundle ${ENTRY_PATH}`, { cause });
  }
  // HTML ends an inline script at the first `</script`, and `<!--` changes how it is tokenised; esbuild
  // escapes both in string literals, so their presence would mean the page silently breaks.
  assert(!/<\/script|<!--/i.test(output), 'the bundled script is safe to inline in a <script> element');
  return output.trimEnd();
}
