// Operation types are generated from the server's schema: a schema change that breaks an
// operation of the console fails `npm run build` (codegen validates every document).
import type { CodegenConfig } from "@graphql-codegen/cli";

declare const process: { env: Record<string, string | undefined> };

const config: CodegenConfig = {
  // HDT_CONSOLE_SCHEMA: another schema to check the operations against (tests/web does).
  schema: process.env.HDT_CONSOLE_SCHEMA ?? "../schema.graphql",
  documents: ["src/**/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { Date: "string", DateTime: "string" },
      },
    },
  },
};

export default config;
