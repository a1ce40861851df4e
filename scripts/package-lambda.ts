import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { writeZip } from "./write-zip.js";

/** The checkout: above this file, whether it runs as scripts/*.ts or compiled under .test-build/. */
const root = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(dir: string): string {
  if (existsSync(join(dir, "src", "lambda", "queue.ts"))) return dir;
  const parent = dirname(dir);
  if (parent === dir) throw new Error("cannot find the checkout (src/lambda/queue.ts)");
  return findRoot(parent);
}

/** The handlers the template and docs/deployment.md name: `lib/lambda/queue.handler`, `lib/lambda/webhooks.handler`. */
export const lambdaHandlers = ["lib/lambda/queue.handler", "lib/lambda/webhooks.handler"];

/**
 * Builds the Lambda deployment package: src/lambda/queue.ts and webhooks.ts bundled by esbuild as
 * ES modules (`.mjs`, which the Node.js runtime loads as ESM), the code they share in one chunk,
 * all dependencies inside, zipped. https://docs.aws.amazon.com/lambda/latest/dg/nodejs-package.html
 */
export async function packageLambda(outFile: string = join(root, "dist", "lambda.zip")) {
  const staging = mkdtempSync(join(tmpdir(), "cpa-lambda-"));
  try {
    await build({
      entryPoints: {
        "lib/lambda/queue": join(root, "src/lambda/queue.ts"),
        "lib/lambda/webhooks": join(root, "src/lambda/webhooks.ts"),
      },
      outdir: staging,
      bundle: true,
      splitting: true,
      chunkNames: "lib/chunks/[name]-[hash]",
      format: "esm",
      platform: "node",
      target: "node20",
      outExtension: { ".js": ".mjs" },
      minifySyntax: true,
      legalComments: "none",
      logLevel: "warning",
      // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
      banner: {
        js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
      },
    });
    const entries = filesUnder(staging).map((file) => ({
      name: relative(staging, file).split("\\").join("/"),
      data: readFileSync(file),
    }));
    mkdirSync(dirname(outFile), { recursive: true });
    const zip = writeZip(entries);
    writeFileSync(outFile, zip);
    return { outFile, bytes: zip.length, files: entries.map((entry) => entry.name) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
    )
    .sort();
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
  const result = await packageLambda(out);
  process.stdout.write(
    `${relative(process.cwd(), result.outFile)}: ${(result.bytes / 1024 / 1024).toFixed(1)} MiB, ` +
      `handlers ${lambdaHandlers.join(", ")}\n`,
  );
}
