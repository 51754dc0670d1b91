// URLs with credentials (`http://user:password@host`) are shown with the password replaced, in
// /health, error bodies and logs.

export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL we can take apart: hide anything that looks like userinfo.
    return url.replace(/\/\/[^/@]*@/, '//***@');
  }
  if (parsed.password === '') return url;
  parsed.password = '***';
  return parsed.toString();
}
