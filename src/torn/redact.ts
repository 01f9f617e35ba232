// Members trust us with their Torn keys; a key in a log line or an error report is a leaked key.
// Every string that may hold a URL or a header goes through here before it leaves the torn client.

const QUERY_KEY = /(key=)[^&\s#"'<>]*/gi;
// `%3D` is `=` percent-encoded: a URL nested in another URL's query carries its key that way.
const ENCODED_QUERY_KEY = /(key%3D)[^&\s#"'<>%]*/gi;
// Torn v2 also accepts `Authorization: ApiKey <key>`.
const API_KEY_HEADER = /(ApiKey\s+)[^\s"',;]+/g;

/** Replaces the value of every `key=` parameter (and `ApiKey <key>`) in `text` with `***`. */
export function redactKey(text: string): string {
  return text.replace(QUERY_KEY, '$1***').replace(ENCODED_QUERY_KEY, '$1***').replace(API_KEY_HEADER, '$1***');
}
