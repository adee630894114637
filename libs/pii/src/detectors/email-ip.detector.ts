import { isIPv4, isIPv6 } from 'node:net';
import { spanOf, type PiiSpan } from '../pii-span';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}/g;

export function detectEmails(text: string): PiiSpan[] {
  if (!text.includes('@')) return [];
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(EMAIL)) {
    let start = m.index;
    // A local part cannot start or end with a dot ("see.john@x.org" keeps "see.john").
    while (text[start] === '.') start++;
    out.push(spanOf(text, 'email', start, m.index + m[0].length, 0.99));
  }
  return out;
}

const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
const IPV6 = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;
// "version 1.2.3.4", "v1.2.3.4", "build 10.0.19041.1": four-part version numbers, not hosts.
const VERSION_CUE = /(?:\bv|version|versión|versione|versie|build|release|rel\.)\s*$/i;

export function detectIpAddresses(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(IPV4)) {
    if (!isIPv4(m[0]) || VERSION_CUE.test(text.slice(Math.max(0, m.index - 12), m.index))) continue;
    out.push(spanOf(text, 'ip_address', m.index, m.index + m[0].length, 0.97, 'ipv4'));
  }
  if (text.includes(':')) {
    for (const m of text.matchAll(IPV6)) {
      let value = m[0];
      // A sentence-ending colon is punctuation, not part of the address ("at fe80::1:").
      if (value.endsWith(':') && !value.endsWith('::')) value = value.slice(0, -1);
      if (!isIPv6(value) || !/[0-9A-Fa-f]/.test(value)) continue;
      out.push(spanOf(text, 'ip_address', m.index, m.index + value.length, 0.97, 'ipv6'));
    }
  }
  return out;
}
