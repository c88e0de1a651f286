/**
 * AdminUi: GET /admin/{*path}: the admin web UI (admin-ui/, built by `npm run build` into dist/admin-ui),
 * a single-page app that talks only to /api/admin. Deep links (/admin/integrations/x/settings) get index.html.
 *
 * Local host only: the Azure Functions host reserves every route starting with "admin" for its own admin API
 * (it refuses such a function at start-up, and /admin/* requests never reach one), so in Azure the same build
 * is served by AdminApi at /api/admin/ui/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HttpFunction } from '../definition';
import { serveSite, UI_MOUNTS } from './static-site';

/** The package root: the nearest folder up from this file with a package.json (works from source and dist). */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

export const ADMIN_UI_DIR = join(packageRoot(__dirname), 'dist', 'admin-ui');

export const adminUi: HttpFunction = {
  name: 'AdminUi',
  trigger: 'http',
  methods: ['GET'],
  route: 'admin/{*path}',
  localOnly: true,
  async handler(request) {
    return serveSite(ADMIN_UI_DIR, request.params.path ?? '', UI_MOUNTS.local);
  },
};
