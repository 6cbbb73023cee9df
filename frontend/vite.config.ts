/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// React's JSX is compiled by esbuild (automatic runtime), so no Babel plugin is needed.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  server: {
    proxy: { "/api": "http://127.0.0.1:8000", "/healthz": "http://127.0.0.1:8000" },
  },
  build: {
    outDir: "dist",
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // React Query marks modules "use client" for server components; meaningless in an SPA.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  test: {
    environment: "node", // DOM tests opt in with a `@vitest-environment jsdom` comment
    globals: true,
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
