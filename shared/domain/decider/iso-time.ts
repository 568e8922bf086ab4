/** A time as audit texts quote it. */
export function iso(at: number): string {
  return new Date(at).toISOString();
}
