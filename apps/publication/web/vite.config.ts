import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The dashboard (apps/publication/web) built into dist/apps/publication/web, which publication serves
// at / (PUBLICATION_WEB_DIR). Every asset lands flat in assets/ with a content hash in its name.
export default defineConfig({
  root: __dirname,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: resolve(__dirname, '../../../dist/apps/publication/web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
});
