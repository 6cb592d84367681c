import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The built app is served by `hdt serve` at `/`, its hashed files under `/assets/`.
// `npm run dev` proxies the API to a server started with `hdt serve` on port 8000.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    // No inline <script> or style: the server's Content-Security-Policy forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:8000", ws: true } },
  },
});
