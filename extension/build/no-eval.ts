import type { Plugin } from 'vite';

/**
 * zod 4 compiles object parsers with the `Function` constructor when it can (its "JIT"), and probes for
 * it once. An extension must not evaluate strings as code: Firefox's add-on linter flags the constructor
 * (DANGEROUS_EVAL) and strict CSPs report even the probe. Without `Function`, zod's probe fails and it
 * parses with its interpreter, which gives the same results (zod's own fallback for CSP pages).
 *
 * So the bundle gets, in each place zod reaches for `Function`, a stand-in that throws. Each place must be
 * found, or the build fails: a zod upgrade that moves the code is caught here, not in the store's review.
 */
const ZOD_EVAL_SITES: { file: RegExp; needle: string }[] = [
  // util.js allowsEval: `new F("")` inside a try; a throw answers "no eval here".
  { file: /node_modules\/zod\/v4\/core\/util\.js$/, needle: 'const F = Function;' },
  // doc.js Doc.compile: only reached when allowsEval said yes.
  { file: /node_modules\/zod\/v4\/core\/doc\.js$/, needle: 'const F = Function;' },
  // compile.js: zod's ahead-of-time compiler, only reached when allowsEval said yes.
  { file: /node_modules\/zod\/v4\/core\/compile\.js$/, needle: 'const F = Function;' },
];

const THROWING =
  'const F = function () { throw new EvalError("Baton builds zod without evaluating strings as code"); };';

export function zodWithoutEval(): Plugin {
  return {
    name: 'baton:zod-without-eval',
    enforce: 'pre',
    transform(code, id) {
      const site = ZOD_EVAL_SITES.find((s) => s.file.test(id.split('?')[0]!));
      if (!site) return null;
      if (!code.includes(site.needle)) {
        this.error(`zod changed: "${site.needle}" is no longer in ${id}; update extension/build/no-eval.ts`);
      }
      return { code: code.split(site.needle).join(THROWING), map: null };
    },
  };
}
