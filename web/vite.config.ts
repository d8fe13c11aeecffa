/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API server to proxy to during `npm run dev` (the built app is served by the server itself).
const apiTarget = process.env.CODE_REMOTE_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: {
    proxy: {
      '/api': { target: apiTarget, ws: true },
      '/healthz': apiTarget,
    },
  },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});
