/** One section of `npm run bench`: a name to select it on the command line and a run that prints its table. */
export interface BenchSection {
  readonly name: string;
  readonly description: string;
  run(): Promise<void>;
}
