import { resolve } from "node:path";
import { defineConfig } from "vite";

// Seven pages, one build; the Gateway embeds dist/ and serves it (WebUiSetup.cs).
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2020",
    // The participant page must stay small on a slow phone connection: no inline base64 blobs.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      onwarn(warning, warn) {
        // @microsoft/signalr ships /*#__PURE__*/ comments Rollup cannot place; harmless.
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules")) return;
        warn(warning);
      },
      input: {
        participant: resolve(import.meta.dirname, "index.html"),
        moderate: resolve(import.meta.dirname, "moderate.html"),
        dashboard: resolve(import.meta.dirname, "dashboard.html"),
        presenter: resolve(import.meta.dirname, "presenter.html"),
        report: resolve(import.meta.dirname, "report.html"),
        staff: resolve(import.meta.dirname, "staff.html"),
        welcome: resolve(import.meta.dirname, "welcome.html"),
      },
    },
  },
});
