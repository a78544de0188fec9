// The meaning of a start-up script for verification: the java command's arguments, in order.
export { javaArgsSh } from './java-sh.js';
export { javaArgsBat } from './java-bat.js';
