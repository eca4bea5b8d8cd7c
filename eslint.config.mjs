// Lint: typescript-eslint's recommended rules, no `any`, no focused or skipped tests.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "policies/node_modules/**", "dist/**", ".schemas-cache/**"] },
  ...tseslint.configs.recommended,
  // CommonJS is what mocha loads a reporter as.
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "it", property: "only" },
        { object: "describe", property: "only" },
        { object: "it", property: "skip" },
        { object: "describe", property: "skip" },
      ],
    },
  },
);
