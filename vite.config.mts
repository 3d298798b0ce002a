// .mts: Vite loads an ESM config natively only when the file says it is ESM (no "type" in package.json).
// Renderer build. Electron loads the result from file:// and web mode serves it from
// 127.0.0.1, so every URL is relative and every asset ships inside dist/renderer.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const fromRoot = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: fromRoot('./src-renderer'),
  // './': the same files work under file:// (Electron) and http://127.0.0.1:PORT/ (web mode).
  base: './',
  plugins: [react()],
  build: {
    outDir: fromRoot('./dist/renderer'),
    emptyOutDir: true,
    // 0: fonts and images stay files; the CSP allows 'self', not data: URLs. Kiosks are offline,
    // so nothing may come from a CDN either.
    assetsInlineLimit: 0,
    // The bundle is read from the local disk (Electron) or loopback, never over a slow network;
    // the kiosk chunk (React, i18n, the wizard) is ~580 kB before gzip, the staff chunk loads lazily.
    chunkSizeWarningLimit: 800,
    // Electron 45 is Chromium 140; web mode targets the counter PC's current browsers.
    target: 'es2022',
    // No source maps in what ships (issue 13 §9); scripts/build.mjs --source-maps turns them on for tests and development.
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { host: '127.0.0.1', strictPort: true },
});
