// Vite build of the admin UI, into dist/admin-ui at the repo top. One build serves two mounts (/admin on the local
// host, /api/admin/ui everywhere): asset URLs are relative, and the server injects <base href="{mount}/">.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  // Vite 8's own transform compiles TSX (automatic runtime); @vitejs/plugin-react would add only fast refresh.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(here, '../dist/admin-ui'),
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" for server-component bundlers; a SPA bundle ignores it.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite --config admin-ui/vite.config.ts` during UI work: API calls go to a running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:7071' },
  },
});
