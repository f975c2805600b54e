import * as https from 'https';
import http from 'http';

export function ping(host: string): void {
  // ruleid: js-http-request-without-timeout
  http.get(`http://${host}/healthz`, (res) => res.resume());
}

export function fetchWithTimeout(url: string): void {
  // ok: js-http-request-without-timeout
  https.get(url, (res) => res.resume()).setTimeout(2000);
}
