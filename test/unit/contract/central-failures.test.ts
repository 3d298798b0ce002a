import { describe, expect, it } from 'vitest';
import { centralFailureKind } from '../../../src-main/contract/central-failures';
import { probeError } from '../../../src-main/services/ops/probes';

describe('why central could not be used, as the screens word it', () => {
  it('sorts network, server and certificate codes into what a clerk can act on', () => {
    expect(centralFailureKind('ECONNREFUSED')).toBe('refused');
    expect(centralFailureKind('ENOTFOUND')).toBe('host');
    expect(centralFailureKind('ETIMEDOUT')).toBe('unreachable');
    expect(centralFailureKind('ECONNRESET')).toBe('lost');
    expect(centralFailureKind('57P01')).toBe('lost');
    expect(centralFailureKind('28P01')).toBe('auth');
    expect(centralFailureKind('28000')).toBe('auth');
    expect(centralFailureKind('SELF_SIGNED_CERT_IN_CHAIN')).toBe('tls');
    expect(centralFailureKind('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('tls');
    expect(centralFailureKind('UNABLE_TO_VERIFY_LEAF_SIGNATURE')).toBe('tls');
    expect(centralFailureKind('3D000')).toBe('database');
    expect(centralFailureKind('25006')).toBe('read-only');
    expect(centralFailureKind('42501')).toBe('permission');
    expect(centralFailureKind('42883')).toBe('schema');
    expect(centralFailureKind('42P01')).toBe('schema');
    expect(centralFailureKind('CODE_KEY_MISMATCH')).toBe('code-key');
    expect(centralFailureKind('WD002')).toBe('identity');
    expect(centralFailureKind('UNKNOWN')).toBe('other');
    expect(centralFailureKind(null)).toBe('other');
  });

  it('gives node-postgres’s worded failures a code', () => {
    expect(probeError(new Error('Client has encountered a connection error and is not queryable')).code).toBe('ECONNRESET');
    expect(probeError(new Error('Connection terminated unexpectedly')).code).toBe('ECONNRESET');
    expect(probeError(new Error('timeout expired')).code).toBe('ETIMEDOUT');
    expect(probeError(Object.assign(new Error('x'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' })).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});
