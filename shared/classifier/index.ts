/** The public surface of shared/classifier: what code outside this folder may import. */
export { defaultClassifier } from './default-classifier.js';
