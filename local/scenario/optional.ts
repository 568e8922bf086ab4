/** `{ [key]: value }`, or `{}` when the value is undefined, so an absent value leaves no key. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
