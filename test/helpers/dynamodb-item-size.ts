import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB's item size: attribute names plus values (strings and binaries their bytes, numbers
 * about a byte per two digits plus one, maps and lists 3 bytes plus 1 per element and their
 * contents), as https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 * counts it.
 */
export function itemBytes(item: Record<string, AttributeValue>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + valueBytes(value);
  return bytes;
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-/, '').replace('.', '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M !== undefined) return 3 + Object.keys(value.M).length + itemBytes(value.M);
  if (value.L !== undefined) return 3 + value.L.length + value.L.reduce((sum, v) => sum + valueBytes(v), 0);
  return 0;
}
