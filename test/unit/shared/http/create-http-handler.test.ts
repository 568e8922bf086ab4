import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { HttpFacingError } from '../../../../shared/errors.js';
import { createHttpHandler, type HttpHandlerOptions } from '../../../../shared/http/create-http-handler.js';
import { apiEvent } from '../../../helpers/callback-harness.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';

function handlerWith(
  errorBody: HttpHandlerOptions['errorBody'],
  core: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>,
  failures: unknown[] = [],
) {
  return createHttpHandler<APIGatewayProxyStructuredResultV2>(
    {
      logger: silentLogger(),
      metrics: silentMetrics(),
      responsesMetric: 'TestResponses',
      maxBodyBytes: 8,
      errorBody,
      logFailure: (error) => failures.push(error),
    },
    core,
  );
}

const echo = async (event: APIGatewayProxyEventV2) => ({ statusCode: 200, body: event.body ?? '' });

describe('createHttpHandler', () => {
  it('decodes a base64 body once, before the core', async () => {
    // Prepare
    const handler = handlerWith('json', echo);
    const event = apiEvent('contact', 'POST', '', Buffer.from('héllo').toString('base64'), true);

    // Act
    const response = await handler(event, localLambdaContext('test'));

    // Assess
    expect(response).toEqual({ statusCode: 200, body: 'héllo' });
  });

  it('refuses a body over the limit with 413 before the core runs', async () => {
    // Prepare
    let ran = false;
    const handler = handlerWith('json', async () => {
      ran = true;
      return { statusCode: 200 };
    });

    // Act
    const response = await handler(
      apiEvent('contact', 'POST', '', 'x'.repeat(9)),
      localLambdaContext('test'),
    );

    // Assess
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ error: 'body is larger than 8 bytes' });
    expect(ran).toBe(false);
  });

  it('answers an exposed error with its status and message, as JSON or as text', async () => {
    // Prepare
    const core = async (): Promise<APIGatewayProxyStructuredResultV2> => {
      throw new HttpFacingError('nope', 409);
    };
    const failures: unknown[] = [];

    // Act
    const json = await handlerWith(
      'json',
      core,
      failures,
    )(apiEvent('contact', 'GET', ''), localLambdaContext('test'));
    const text = await handlerWith('text', core)(apiEvent('contact', 'GET', ''), localLambdaContext('test'));

    // Assess
    expect(json).toMatchObject({ statusCode: 409, body: '{"error":"nope"}' });
    expect(json.headers?.['content-type']).toBe('application/json');
    expect(text).toMatchObject({ statusCode: 409, body: 'nope' });
    expect(failures).toHaveLength(1);
  });

  it('answers anything unexpected 500 without its message', async () => {
    // Prepare
    const handler = handlerWith('json', async () => {
      throw new Error('secret detail');
    });

    // Act
    const response = await handler(apiEvent('contact', 'GET', ''), localLambdaContext('test'));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ error: 'internal error' });
  });
});
