import jwt from 'jsonwebtoken';

export function keyId(token: string): string | undefined {
  // ok: js-jwt-decode-without-verify
  const decoded = jwt.decode(token, { complete: true });
  return decoded?.header.kid;
}

export function claims(token: string, key: string) {
  // ok: js-jwt-decode-without-verify
  return jwt.verify(token, key, { algorithms: ['RS256'] });
}
