import { registerConformance } from './suite.js';

// The ITIMER_REAL cases against the chain's virtual ITIMER_REAL (unix backend).
registerConformance('koffi', 'unix');
