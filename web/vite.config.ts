import { defineConfig } from "vite";

// The app is served by `solidum serve --web-root web/dist`, same origin as the API.
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 600, sourcemap: false },
});
