import { RecordingError } from '../recording.js';

/** A scenario file that is not valid; the message names the file and the field. */
export class ScenarioError extends RecordingError {
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(file, message, options);
    this.name = 'ScenarioError';
  }
}

/** A run that cannot go on: the server does not answer, is not local mode, or refuses the token. */
export class ScenarioRunError extends Error {}
