import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { createAdminHandler } from '../../../../shared/admin/admin-handler.js';
import type { AdminDependencies } from '../../../../shared/admin/types.js';
import { type ConsoleSite, consoleAssetsFromBuild } from '../../../../shared/console/index.js';
import { adminEvent } from '../../../helpers/admin-api.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';

const SITE: ConsoleSite = {
  config: { corpId: 'ww-corp', api: '/console/api', auth: { kind: 'token' } },
  assets: async () =>
    consoleAssetsFromBuild({
      files: [
        { name: 'app-0123456789.js', contentType: 'text/javascript; charset=utf-8', body: Buffer.from('x') },
        { name: 'app-abcdef0123.css', contentType: 'text/css; charset=utf-8', body: Buffer.from('y') },
        {
          name: 'manifest.json',
          contentType: 'application/json',
          body: Buffer.from('{"script":"app-0123456789.js","style":"app-abcdef0123.css"}'),
        },
      ],
    }),
};

/** The console's paths carry no data: no store or engine is reached for them. */
const NO_DEPENDENCIES = {} as AdminDependencies;

/** A request as API Gateway passes on an unauthenticated route: no authorizer context. */
async function unauthenticated(path: string, site?: ConsoleSite): Promise<APIGatewayProxyStructuredResultV2> {
  const event = adminEvent('GET', path);
  delete (event.requestContext as { authorizer?: unknown }).authorizer;
  const handler = createAdminHandler(NO_DEPENDENCIES, silentLogger(), silentMetrics(), site);
  return (await handler(event, localLambdaContext('admin-api'))) as APIGatewayProxyStructuredResultV2;
}

describe('the console behind the admin handler', () => {
  it('serves the page, the config and the files without an authorizer', async () => {
    // Act
    const page = await unauthenticated('/console', SITE);
    const config = await unauthenticated('/console/config.json', SITE);
    const script = await unauthenticated('/console/assets/app-0123456789.js', SITE);

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['content-security-policy']).toContain("default-src 'self'");
    expect(JSON.parse(config.body ?? '')).toEqual(SITE.config);
    expect(script.headers?.['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('still refuses the console API without an authorizer', async () => {
    // Act
    const response = await unauthenticated('/console/api/me', SITE);

    // Assess
    expect(response.statusCode).toBe(401);
  });

  it('answers 404 for the console where none is configured', async () => {
    // Act
    const response = await unauthenticated('/console');

    // Assess
    expect(response.statusCode).toBe(404);
  });
});
