// A multipart/form-data body as a browser or `curl -F` sends it: one file part per entry,
// under the filename given (whole, as written).

/** A multipart/form-data body with one file part per entry, and its content type. */
export function multipart(files: Record<string, string>): { body: string; type: string } {
  const boundary = 'mirror-test-boundary';
  const parts = Object.entries(files).map(
    ([name, text]) =>
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: application/octet-stream\r\n\r\n${text}\r\n`,
  );
  return { body: `${parts.join('')}--${boundary}--\r\n`, type: `multipart/form-data; boundary=${boundary}` };
}
