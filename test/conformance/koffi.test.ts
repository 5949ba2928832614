import { registerConformance } from './suite.js';

registerConformance('koffi');
