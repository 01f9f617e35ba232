/** A bad configuration value; the message names the variable, what is wrong, and an example. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
