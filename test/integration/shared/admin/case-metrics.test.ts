import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { createAdminHandler } from '../../../../shared/admin/admin-handler.js';
import { adminEvent, confirm, decisionPath, useAdminApi } from '../../../helpers/admin-api.js';
import { HOUR, T0 } from '../../../helpers/domain-inputs.js';
import { silentLogger } from '../../../helpers/observability.js';

const api = useAdminApi();

describe('human-review metrics of the admin API', () => {
  it('counts a reviewer’s decision and publishes the category’s measured precision after it', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const caseId = await api.caseFor('measured', { corpId: 'wwMETRICSCORP01' });
    const path = decisionPath(caseId, 'wwMETRICSCORP01');
    const handler = createAdminHandler(
      api.deps(),
      silentLogger(),
      new Metrics({ namespace: 'Test', serviceName: 'admin-api' }),
    );
    const request = adminEvent('POST', path, JSON.stringify(confirm));
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });

    // Act
    let response: APIGatewayProxyStructuredResultV2;
    try {
      response = (await handler(
        request,
        localLambdaContext('admin-api'),
      )) as APIGatewayProxyStructuredResultV2;
    } finally {
      stdout.mockRestore();
    }

    // Assess
    expect(response.statusCode).toBe(200);
    const emf = written.flatMap((line) => line.split('\n')).filter((line) => line.includes('"_aws"'));
    const published = emf.map((line) => JSON.parse(line));
    expect(published).toContainEqual(expect.objectContaining({ CasesDecided: 1 }));
    expect(published).toContainEqual(
      expect.objectContaining({ CasePrecision: 1, Category: 'inducing-sharing', service: 'admin-api' }),
    );
  });
});
