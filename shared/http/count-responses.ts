import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

/** Name of the metric counting the callbacks' answers, with a `status` dimension (200, 401, 503, …). */
export const CALLBACK_RESPONSES_METRIC = 'CallbackResponses';

/** Name of the metric counting the admin API's answers, with a `status` dimension. */
export const ADMIN_RESPONSES_METRIC = 'AdminResponses';

type HttpRequest = Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

/**
 * Counts every answer by its HTTP status under `metricName`, so that a flood of 401s (a scanner, a
 * rotated token) or any 503 (the queue unreachable) can be alarmed on.
 */
export function countResponses(
  metrics: Metrics,
  metricName: string,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  const count = (request: HttpRequest) => {
    const response = request.response;
    const status = typeof response === 'object' && response !== null ? (response.statusCode ?? 200) : 200;
    metrics.addDimension('status', String(status));
    metrics.addMetric(metricName, MetricUnit.Count, 1);
  };
  return { after: count, onError: count };
}
